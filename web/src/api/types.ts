/*
 * Names for the API's schemas, taken from schema.d.ts, which `npm run gen:api` generates from the
 * committed copy of the server's OpenAPI document (web/openapi.json). When the API changes, copy
 * the new document (GET /api/v1/openapi.json) over web/openapi.json and regenerate: vue-tsc then
 * points at every use that no longer fits.
 */
import type { components, operations } from './schema';

type S = components['schemas'];

export type Institution = S['Institution'];
export type InstitutionCreate = S['InstitutionCreate'];
export type InstitutionPatch = S['InstitutionPatch'];
export type Qualification = S['Qualification'];
export type QualificationCreate = S['QualificationCreate'];
export type InterestRelation = S['InterestRelation'];
export type RelationCreate = S['RelationCreate'];
export type Post = S['Post'];
export type PostCreate = S['PostCreate'];
export type PostPatch = S['PostPatch'];
export type Person = S['Person'];
export type PersonCreate = S['PersonCreate'];
export type PersonPatch = S['PersonPatch'];
export type PasswordChange = S['PasswordChange'];
export type Certificate = S['Certificate'];
export type CertificateCreate = S['CertificateCreate'];
export type Problem = S['Problem'];
export type Session = S['Session'];
export type WhoAmI = S['WhoAmI'];
export type InstitutionBrief = S['InstitutionBrief'];
export type AuditRecord = S['AuditRecord'];
export type AuditVerdict = S['AuditVerdict'];

export type InstitutionKind = NonNullable<Institution['kind']>;
export type InstitutionLevel = NonNullable<Institution['level']>;
export type InstitutionStatus = NonNullable<Institution['status']>;
export type QualificationKind = QualificationCreate['kind'];
export type RelationKind = RelationCreate['kind'];
export type Team = PersonCreate['team'];

export const INSTITUTION_KINDS: InstitutionKind[] = ['management', 'provider', 'evaluator', 'user'];
export const INSTITUTION_LEVELS: InstitutionLevel[] = ['central', 'provincial', 'municipal', 'county'];
export const INSTITUTION_STATUSES: InstitutionStatus[] = ['active', 'suspended', 'revoked'];
export const QUALIFICATION_KINDS: QualificationKind[] = [
  'security_service', 'cloud_security_assessment', 'classified_protection', 'system_integration',
  'itss', 'testing_lab', 'supervision', 'secrecy', 'other',
];
export const RELATION_KINDS: RelationKind[] = ['equity', 'control', 'subsidiary', 'personnel', 'contract', 'other'];
export const TEAMS: Team[] = ['administrative', 'technical'];
/* Permissions a post may grant (the server's org_grantable). */
export const GRANTABLE = [
  'institution.write', 'qualification.write', 'relation.write', 'post.write', 'person.write',
  'certificate.write', 'audit.read', 'audit.verify',
] as const;

/* Query parameters of the list operations, as the document declares them. */
type Q<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
export type InstitutionQuery = Q<'get_api_v1_institutions'>;
export type PeopleQuery = Q<'get_api_v1_people'>;
export type CertificateQuery = Q<'get_api_v1_certificates'>;
export type QualificationQuery = Q<'get_api_v1_qualifications'>;
export type AuditQuery = Q<'get_api_v1_audit'>;

/* Every list answer: one page, the cursor of the next, and the total when asked for. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}
