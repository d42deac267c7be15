/*
 * One typed function per API operation the console uses, named after the OpenAPI paths. Views
 * call these, never fetch().
 */
import { api, request, requestText, type Answer } from './client';
import type {
  Allocation, AllocationChange, AllocationCreate, AllocationQuery, AuditQuery, AuditRecord, AuditVerdict,
  CatalogueName, Certificate, CertificateCreate, CertificateQuery, ConformityQuery, ConformityRecord,
  ConformityTest, DocumentCreate, Edition, Institution, InstitutionCreate, InstitutionPatch, InstitutionQuery,
  InterestRelation, Metric, MetricCreate, Page, PasswordChange, PeopleQuery, Person, PersonCreate, PersonPatch,
  Pool, PoolCreate, PoolPatch, PoolQuery, Post, PostCreate, PostPatch, PriceBasis, PriceBasisCreate, Product,
  ProductCreate, ProductDocument, ProductEditionBody, ProductPatch, ProductQuery, ProductTest, ProductTestQuery,
  ProductTestRecord, Publication, Qualification, QualificationCreate, QualificationQuery, RelationCreate,
  ResourceEditionBody, ResourceKind, Session, Transition, WhoAmI,
  BudgetLine, BudgetLineCreate, BudgetLineQuery, Feedback, FeedbackAnswer, Order, OrderAcceptance, OrderApproval,
  OrderChange, OrderChangeCreate, OrderCreate, OrderQuery, OrderTransition,
} from './types';
import type {
  Bill, BillingRun, BillingRunCreate, BillQuery, BudgetAlert, AlertQuery, CoefficientQuery, ExportFormat, QualityCoefficient,
  QualityCoefficientSet, Settlement, SettlementQuery, SettlementRun, SettlementRunCreate, Spend, SpendQuery,
} from './types';
import type { AllocationServiceStart, PriceBackdating, PriceBackdatingCreate, SigningKey } from './types';
import type { Agreement, AgreementCreate, AgreementPatch, AgreementQuery, Breach, BreachCreate } from './types';
import type {
  Bid, BidCreate, EvaluationCreate, LotCreate, Lot, MarketConcentration, MarketQuery, Milestone, MilestoneCreate,
  MilestonePatch, Project, ProjectBudget, ProjectDeclare, ProjectQuery, ProjectTarget, ProjectTransition, ProviderBar,
  ProviderBarCreate, ProviderBarQuery, SupervisionRecord, SupervisionRecordCreate,
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

export const resourceApi = {
  kinds: () => data(api.get<Page<ResourceKind>>('/resource-kinds')),
  list: (q: PoolQuery) => data(api.get<Page<Pool>>('/resource-pools', q)),
  get: (id: number) => api.get<Pool>(`/resource-pools/${id}`),
  create: (body: PoolCreate) => data(api.post<Pool>('/resource-pools', body)),
  update: (id: number, body: PoolPatch, etag: string) => api.patch<Pool>(`/resource-pools/${id}`, body, etag),
  allocations: (id: number, q: AllocationQuery) => data(api.get<Page<Allocation>>(`/resource-pools/${id}/allocations`, q)),
  configure: (id: number, body: AllocationCreate) => data(api.post<Allocation>(`/resource-pools/${id}/allocations`, body)),
  /* Provider: an earlier start of service (a service migrated onto the platform), with a reason. */
  serviceStart: (id: number, aid: number, body: AllocationServiceStart) =>
    data(api.post<Allocation>(`/resource-pools/${id}/allocations/${aid}/service-start`, body)),
  change: (id: number, aid: number, body: AllocationChange) => data(api.post<Allocation>(`/resource-pools/${id}/allocations/${aid}/changes`, body)),
  firstUse: (id: number, aid: number, firstUsedOn?: string) =>
    data(api.post<Allocation>(`/resource-pools/${id}/allocations/${aid}/first-use`, firstUsedOn ? { first_used_on: firstUsedOn } : {})),
  assignTest: (id: number, evaluatorId: number) => data(api.post<ConformityTest>(`/resource-pools/${id}/conformity-tests`, { evaluator_id: evaluatorId })),
  /* The pool's lifecycle (T5-3.4): suspend, resume, retire; recorded with the reason. */
  act: (id: number, action: 'suspend' | 'resume' | 'retire', reason?: string) =>
    data(api.post<Pool>(`/resource-pools/${id}/${action}`, reason ? { reason } : {})),
};

export const allocationApi = {
  list: (q: AllocationQuery) => data(api.get<Page<Allocation>>('/allocations', q)),
};

export const conformityApi = {
  list: (q: ConformityQuery) => data(api.get<Page<ConformityTest>>('/conformity-tests', q)),
  record: (id: number, body: ConformityRecord, etag?: string | null) => data(api.patch<ConformityTest>(`/conformity-tests/${id}`, body, etag)),
};

export const productApi = {
  list: (q: ProductQuery) => data(api.get<Page<Product>>('/products', q)),
  get: (id: number) => api.get<Product>(`/products/${id}`),
  create: (body: ProductCreate) => data(api.post<Product>('/products', body)),
  update: (id: number, body: ProductPatch, etag: string) => api.patch<Product>(`/products/${id}`, body, etag),
  metrics: (id: number) => data(api.get<Page<Metric>>(`/products/${id}/metrics`)),
  addMetric: (id: number, body: MetricCreate) => data(api.post<Metric>(`/products/${id}/metrics`, body)),
  /* submit | launch | withdraw | revise (the provider), eliminate (management, reason required) */
  act: (id: number, action: 'submit' | 'launch' | 'withdraw' | 'revise' | 'eliminate', reason?: string) =>
    data(api.post<Product>(`/products/${id}/${action}`, reason ? { reason } : {})),
  recommend: (id: number, recommended: boolean, note?: string) =>
    data(api.post<Product>(`/products/${id}/recommendation`, note ? { recommended, note } : { recommended })),
  transitions: (id: number) => data(api.get<Page<Transition>>(`/products/${id}/transitions`)),
  assignTest: (id: number, evaluatorId: number) => data(api.post<ProductTest>(`/products/${id}/tests`, { evaluator_id: evaluatorId })),
  /* Management: why a price basis of the metric may start before the current month (issue 12). */
  recordBackdating: (id: number, mid: number, body: PriceBackdatingCreate) =>
    data(api.post<PriceBackdating>(`/products/${id}/metrics/${mid}/price-backdating`, body)),
  publishPrice: (id: number, mid: number, body: PriceBasisCreate) => data(api.post<PriceBasis>(`/products/${id}/metrics/${mid}/price-basis`, body)),
  /* The price basis in force on a date; every published one without it. */
  prices: (id: number, on?: string) => data(api.get<Page<PriceBasis>>(`/products/${id}/prices`, { on })),
  documents: (id: number) => data(api.get<Page<ProductDocument>>(`/products/${id}/documents`)),
  addDocument: (id: number, body: DocumentCreate) => data(api.post<ProductDocument>(`/products/${id}/documents`, body)),
  eliminationCandidates: () => data(api.get<Page<Product>>('/product-elimination-candidates')),
};

export const productTestApi = {
  list: (q: ProductTestQuery) => data(api.get<Page<ProductTest>>('/product-tests', q)),
  record: (id: number, body: ProductTestRecord) => data(api.patch<ProductTest>(`/product-tests/${id}`, body)),
};

/* Published catalogues: publishing needs catalogue.publish; reading is public (no login). */
export const catalogueApi = {
  publish: (c: CatalogueName) => data(api.post<Publication>(`/catalogues/${c}/editions`, {})),
  editions: (c: CatalogueName) => data(api.get<Page<Edition>>(`/catalogues/${c}/editions`)),
  /* The exact signed bytes of an edition (numbers are per publisher). */
  editionText: (c: CatalogueName, n: number, publisherId: number) =>
    requestText(`/catalogues/${c}/editions/${n}`, { publisher_id: publisherId }).then((r) => r.text),
  edition: <B extends ResourceEditionBody | ProductEditionBody>(c: CatalogueName, n: number, publisherId: number) =>
    catalogueApi.editionText(c, n, publisherId).then((t) => JSON.parse(t) as B),
  /* The current key, or with keyId the one that signed an edition (retired keys stay served). */
  publicKey: (keyId?: string) =>
    requestText('/catalogues/public-key', keyId ? { key_id: keyId } : undefined).then((r) => ({ pem: r.text, keyId: r.headers.get('X-Egov-Key-Id') ?? keyId ?? '' })),
  /* Every key that ever signed, with its algorithm (ed25519 | sm2) and validity (public). */
  signingKeys: () => data(api.get<Page<SigningKey>>('/signing-keys')),
};

/* Service agreements (T5-8.2a): writes by management, signatures by each party, breaches. */
export const agreementApi = {
  list: (q: AgreementQuery) => data(api.get<Page<Agreement>>('/agreements', q)),
  get: (id: number) => api.get<Agreement>(`/agreements/${id}`),
  create: (body: AgreementCreate) => data(api.post<Agreement>('/agreements', body)),
  update: (id: number, body: AgreementPatch, etag: string) => api.patch<Agreement>(`/agreements/${id}`, body, etag),
  /* The caller signs for its own institution (management or provider). */
  sign: (id: number) => data(api.post<Agreement>(`/agreements/${id}/signatures`, {})),
  /* A new draft version of an agreement in force. */
  amend: (id: number) => data(api.post<Agreement>(`/agreements/${id}/amendments`, {})),
  breaches: (id: number) => data(api.get<Page<Breach>>(`/agreements/${id}/breaches`)),
  recordBreach: (id: number, body: BreachCreate) => data(api.post<Breach>(`/agreements/${id}/breaches`, body)),
};

/* Budget lines (management writes; agencies read their own) and orders with their transitions,
 * changes and feedback thread. Every refusal carries a rule code (see views/order/refusal.ts). */
export const budgetApi = {
  list: (q: BudgetLineQuery) => data(api.get<Page<BudgetLine>>('/budget-lines', q)),
  create: (body: BudgetLineCreate) => data(api.post<BudgetLine>('/budget-lines', body)),
};

export const orderApi = {
  list: (q: OrderQuery) => data(api.get<Page<Order>>('/orders', q)),
  get: (id: number) => data(api.get<Order>(`/orders/${id}`)),
  apply: (body: OrderCreate) => data(api.post<Order>('/orders', body)),
  approve: (id: number, body: OrderApproval) => data(api.post<Order>(`/orders/${id}/approve`, body)),
  refuse: (id: number, reason: string) => data(api.post<Order>(`/orders/${id}/refuse`, { reason })),
  deliver: (id: number, note?: string) => data(api.post<Order>(`/orders/${id}/deliver`, note ? { note } : {})),
  accept: (id: number, body: OrderAcceptance) => data(api.post<Order>(`/orders/${id}/accept`, body)),
  reject: (id: number, reason: string) => data(api.post<Order>(`/orders/${id}/reject`, { reason })),
  release: (id: number, reason?: string) => data(api.post<Order>(`/orders/${id}/release`, reason ? { reason } : {})),
  transitions: (id: number) => data(api.get<Page<OrderTransition>>(`/orders/${id}/transitions`)),
  changes: (id: number) => data(api.get<Page<OrderChange>>(`/orders/${id}/changes`)),
  requestChange: (id: number, body: OrderChangeCreate) => data(api.post<OrderChange>(`/orders/${id}/changes`, body)),
  applyChange: (id: number, cid: number) => data(request<OrderChange>('POST', `/orders/${id}/changes/${cid}/apply`)),
  feedback: (id: number) => data(api.get<Page<Feedback>>(`/orders/${id}/feedback`)),
  postFeedback: (id: number, rating: number, comment?: string) =>
    data(api.post<Feedback>(`/orders/${id}/feedback`, comment ? { rating, comment } : { rating })),
  answer: (id: number, fid: number, text: string) => data(api.post<FeedbackAnswer>(`/orders/${id}/feedback/${fid}/answers`, { text })),
};

/* Procurement projects: declaration → budget → procurement → supervision → evaluation. */
export const procurementApi = {
  list: (q: ProjectQuery) => data(api.get<Page<Project>>('/procurement-projects', q)),
  get: (id: number) => data(api.get<Project>(`/procurement-projects/${id}`)),
  declare: (body: ProjectDeclare) => data(api.post<Project>('/procurement-projects', body)),
  budget: (id: number, body: ProjectBudget) => data(api.post<Project>(`/procurement-projects/${id}/budget`, body)),
  move: (id: number, to: ProjectTarget, reason?: string) =>
    data(api.post<Project>(`/procurement-projects/${id}/transitions`, reason ? { to, reason } : { to })),
  transitions: (id: number) => data(api.get<Page<ProjectTransition>>(`/procurement-projects/${id}/transitions`)),
  addLot: (id: number, body: LotCreate) => data(api.post<Lot>(`/procurement-projects/${id}/lots`, body)),
  bids: (id: number) => data(api.get<Page<Bid>>(`/procurement-projects/${id}/bids`)),
  bid: (id: number, body: BidCreate) => data(api.post<Bid>(`/procurement-projects/${id}/bids`, body)),
  award: (id: number, bidId: number) => data(api.post<Lot>(`/procurement-projects/${id}/awards`, { bid_id: bidId })),
  assignSupervisor: (id: number, evaluatorId: number) =>
    data(api.post<Project>(`/procurement-projects/${id}/supervisor`, { evaluator_id: evaluatorId })),
  milestones: (id: number) => data(api.get<Page<Milestone>>(`/procurement-projects/${id}/milestones`)),
  addMilestone: (id: number, body: MilestoneCreate) => data(api.post<Milestone>(`/procurement-projects/${id}/milestones`, body)),
  updateMilestone: (id: number, mid: number, body: MilestonePatch) =>
    data(api.patch<Milestone>(`/procurement-projects/${id}/milestones/${mid}`, body)),
  records: (id: number) => data(api.get<Page<SupervisionRecord>>(`/procurement-projects/${id}/supervision-records`)),
  addRecord: (id: number, body: SupervisionRecordCreate) =>
    data(api.post<SupervisionRecord>(`/procurement-projects/${id}/supervision-records`, body)),
  evaluate: (id: number, body: EvaluationCreate) => data(api.post<Project>(`/procurement-projects/${id}/evaluation`, body)),
};

/* Bars on providers (T5-12.2c) and the market-concentration view (T5-8.2b). */
export const barApi = {
  list: (q: ProviderBarQuery) => data(api.get<Page<ProviderBar>>('/provider-bars', q)),
  create: (body: ProviderBarCreate) => data(api.post<ProviderBar>('/provider-bars', body)),
  lift: (id: number, reason: string) => data(api.post<ProviderBar>(`/provider-bars/${id}/lift`, { reason })),
};

export const marketApi = {
  concentration: (q: MarketQuery) => data(api.get<MarketConcentration>('/market-concentration', q)),
};

/* Rating, bills, settlement statements, quality coefficients, budget alerts and spend
 * (docs/billing.md): runs and issues need billing.manage, everything else billing.read. */
export const billApi = {
  list: (q: BillQuery) => data(api.get<Page<Bill>>('/bills', q)),
  get: (id: number) => data(api.get<Bill>(`/bills/${id}`)),
  run: (body: BillingRunCreate) => data(api.post<BillingRun>('/billing/runs', body)),
  issue: (id: number) => data(api.post<Bill>(`/bills/${id}/issue`, {})),
  /* A link, not a fetch: the browser downloads the attachment with the session cookie. */
  exportUrl: (id: number, format: ExportFormat) => `/api/v1/bills/${id}/export?format=${format}`,
  spend: (q: SpendQuery) => data(api.get<Spend>('/billing/spend', q)),
};

export const settlementApi = {
  list: (q: SettlementQuery) => data(api.get<Page<Settlement>>('/settlements', q)),
  get: (id: number) => data(api.get<Settlement>(`/settlements/${id}`)),
  run: (body: SettlementRunCreate) => data(api.post<SettlementRun>('/billing/settlement-runs', body)),
  issue: (id: number) => data(api.post<Settlement>(`/settlements/${id}/issue`, {})),
  exportUrl: (id: number, format: ExportFormat) => `/api/v1/settlements/${id}/export?format=${format}`,
  /* One answer, not paged (the server refuses limit and cursor here). */
  coefficients: (q: CoefficientQuery) => data(api.get<Page<QualityCoefficient>>('/quality-coefficients', q)),
  /* The contract says PUT; the server takes POST (set or change before the statement is issued). */
  setCoefficient: (body: QualityCoefficientSet) => data(api.post<QualityCoefficient>('/quality-coefficients', body)),
};

export const budgetAlertApi = {
  list: (q: AlertQuery) => data(api.get<Page<BudgetAlert>>('/budget-alerts', q)),
  acknowledge: (id: number) => data(api.post<BudgetAlert>(`/budget-alerts/${id}/acknowledge`, {})),
};
