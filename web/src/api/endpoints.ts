/*
 * One typed function per API operation the console uses, named after the OpenAPI paths. Views
 * call these, never fetch().
 */
import { api, request, type Answer } from './client';
import type {
  AuditQuery, AuditRecord, AuditVerdict, Certificate, CertificateCreate, CertificateQuery,
  Institution, InstitutionCreate, InstitutionPatch, InstitutionQuery, InterestRelation, Page,
  PasswordChange, PeopleQuery, Person, PersonCreate, PersonPatch, Post, PostCreate, PostPatch,
  Qualification, QualificationCreate, QualificationQuery, RelationCreate, Session, WhoAmI,
} from './types';

type Paging = { limit?: number; cursor?: string; total?: boolean };
const data = <T>(p: Promise<Answer<T>>) => p.then((a) => a.data);

export const sessionApi = {
  login: (login: string, password: string) => data(api.post<Session>('/session', { login, password })),
  whoami: () => data(request<WhoAmI>('GET', '/session', { quiet401: true })),
  logout: () => api.del('/session'),
};

export const institutionApi = {
  list: (q: InstitutionQuery) => data(api.get<Page<Institution>>('/institutions', q)),
  get: (id: number) => api.get<Institution>(`/institutions/${id}`),
  create: (body: InstitutionCreate) => data(api.post<Institution>('/institutions', body)),
  update: (id: number, body: InstitutionPatch, etag: string) => api.patch<Institution>(`/institutions/${id}`, body, etag),
  remove: (id: number, etag: string) => api.del(`/institutions/${id}`, etag),
  qualifications: (id: number, q: Paging) => data(api.get<Page<Qualification>>(`/institutions/${id}/qualifications`, q)),
  addQualification: (id: number, body: QualificationCreate) => data(api.post<Qualification>(`/institutions/${id}/qualifications`, body)),
  removeQualification: (id: number, qid: number) => api.del(`/institutions/${id}/qualifications/${qid}`),
  relations: (id: number, q: Paging) => data(api.get<Page<InterestRelation>>(`/institutions/${id}/interest-relations`, q)),
  addRelation: (id: number, body: RelationCreate) => data(api.post<InterestRelation>(`/institutions/${id}/interest-relations`, body)),
  removeRelation: (id: number, rid: number) => api.del(`/institutions/${id}/interest-relations/${rid}`),
  posts: (id: number, q: Paging) => data(api.get<Page<Post>>(`/institutions/${id}/posts`, q)),
  addPost: (id: number, body: PostCreate) => data(api.post<Post>(`/institutions/${id}/posts`, body)),
  updatePost: (id: number, pid: number, body: PostPatch, etag: string) => api.patch<Post>(`/institutions/${id}/posts/${pid}`, body, etag),
  removePost: (id: number, pid: number) => api.del(`/institutions/${id}/posts/${pid}`),
};

export const qualificationApi = {
  list: (q: QualificationQuery) => data(api.get<Page<Qualification>>('/qualifications', q)),
};

export const personApi = {
  list: (q: PeopleQuery) => data(api.get<Page<Person>>('/people', q)),
  get: (id: number) => api.get<Person>(`/people/${id}`),
  create: (body: PersonCreate) => data(api.post<Person>('/people', body)),
  update: (id: number, body: PersonPatch, etag: string) => api.patch<Person>(`/people/${id}`, body, etag),
  setPassword: (id: number, body: PasswordChange) => api.post<unknown>(`/people/${id}/password`, body),
  certificates: (id: number, q: Paging) => data(api.get<Page<Certificate>>(`/people/${id}/certificates`, q)),
  addCertificate: (id: number, body: CertificateCreate) => data(api.post<Certificate>(`/people/${id}/certificates`, body)),
  removeCertificate: (id: number, cid: number) => api.del(`/people/${id}/certificates/${cid}`),
};

export const certificateApi = {
  list: (q: CertificateQuery) => data(api.get<Page<Certificate>>('/certificates', q)),
};

export const auditApi = {
  /* The server refuses `total` here (see the report): the audit trail pages by cursor only. */
  list: (q: Omit<AuditQuery, 'total'>) => data(api.get<Page<AuditRecord>>('/audit', q)),
  verify: () => data(api.get<AuditVerdict>('/audit/verify')),
};
