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
export type ResourceKind = S['ResourceKind'];
export type Pool = S['Pool'];
export type PoolCreate = S['PoolCreate'];
export type PoolPatch = S['PoolPatch'];
export type Allocation = S['Allocation'];
export type AllocationCreate = S['AllocationCreate'];
export type AllocationChange = S['AllocationChange'];
export type ConformityTest = S['ConformityTest'];
export type ConformityRecord = S['ConformityRecord'];
export type Publication = S['Publication'];
export type Edition = S['Edition'];
export type Product = S['Product'];
export type ProductCreate = S['ProductCreate'];
export type ProductPatch = S['ProductPatch'];
export type Metric = S['Metric'];
export type MetricCreate = S['MetricCreate'];
export type Transition = S['Transition'];
export type ProductTest = S['ProductTest'];
export type ProductTestRecord = S['ProductTestRecord'];
export type PriceBasis = S['PriceBasis'];
export type PriceBasisCreate = S['PriceBasisCreate'];
export type PriceRate = S['PriceRate'];
export type ProductDocument = S['Document'];
export type DocumentCreate = S['DocumentCreate'];

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
  'certificate.write', 'audit.read', 'audit.verify', 'pool.write', 'allocation.write', 'test.assign',
  'test.record', 'catalogue.publish', 'product.write', 'product.govern', 'price.publish',
  'agreement.write', 'agreement.sign', 'procurement.declare', 'procurement.manage', 'provider.bar',
  'bid.write', 'project.supervise', 'order.apply', 'order.approve', 'order.deliver', 'budget.write',
  'usage.write', 'billing.manage',
] as const;

/* Resources (T5-6.1) and products (T5-7.2d), as the document's enums declare them. */
export type ResourceKindCode = PoolCreate['kind'];
export type PoolStatus = NonNullable<PoolCreate['status']>;
export type ProductCategory = ProductCreate['category'];
export type AllocationOp = AllocationChange['op'];
export type TestResult = ConformityRecord['result'];
export type DocumentKind = DocumentCreate['kind'];
export const RESOURCE_KINDS: ResourceKindCode[] = ['compute', 'storage', 'network', 'information', 'application_support', 'consulting'];
export const POOL_STATUSES: PoolStatus[] = ['active', 'suspended', 'retired'];
export const SECURITY_LEVELS = [1, 2, 3, 4] as const;
export const PRODUCT_CATEGORIES: ProductCategory[] = [
  'planning_consulting', 'service_design', 'integration_implementation', 'operation_maintenance', 'training_promotion',
];
/* The product states of the server (product_states); the document declares them as plain strings. */
export const PRODUCT_STATES = ['draft', 'submitted', 'testing', 'passed', 'failed', 'online', 'offline', 'eliminated'] as const;
export type ProductState = (typeof PRODUCT_STATES)[number];
/* The stages of T5-3.4 the server reports as lifecycle_stage, in order. */
export const LIFECYCLE_STAGES = ['creation', 'planning_design', 'release_operation', 'offline'] as const;
export const TEST_STATUSES = ['assigned', 'passed', 'failed'] as const;
export const DOCUMENT_KINDS: DocumentKind[] = ['manual', 'training'];

/* Query parameters of the list operations, as the document declares them. */
type Q<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
export type InstitutionQuery = Q<'get_api_v1_institutions'>;
export type PeopleQuery = Q<'get_api_v1_people'>;
export type CertificateQuery = Q<'get_api_v1_certificates'>;
export type QualificationQuery = Q<'get_api_v1_qualifications'>;
export type AuditQuery = Q<'get_api_v1_audit'>;
export type PoolQuery = Q<'get_api_v1_resource_pools'>;
export type AllocationQuery = Q<'get_api_v1_allocations'>;
export type ConformityQuery = Q<'get_api_v1_conformity_tests'>;
export type ProductQuery = Q<'get_api_v1_products'>;
export type ProductTestQuery = Q<'get_api_v1_product_tests'>;

/*
 * The body of a published catalogue edition: the exact signed JSON (canonical, sorted keys). The
 * OpenAPI document does not describe it (the route answers raw bytes), so it is written out here
 * from what the server signs (resource_catalogue_publish, product_catalogue_publish).
 */
export type CatalogueName = 'resources' | 'products';
export interface EditionPriceBasis { price_fen: number; valid_from: string; valid_to: string; evaluator: string; rates?: PriceRate[] }
export interface EditionMetric { id: number; name: string; unit: string; method: string; list_price_fen: number; price_basis: EditionPriceBasis | null }
export interface EditionProduct {
  product_id: number; name: string; category: ProductCategory; description: string;
  provider: { id: number; name: string }; recommended: boolean; region: string; metrics: EditionMetric[];
}
export interface EditionResource {
  pool_id: number; name: string; kind: ResourceKindCode; unit: string; specification: string; capacity: number;
  region: string; security_level: number; provider: { id: number; name: string; uscc: string };
  conformity_test: { id: number; evaluator_id: number; evaluator: string; tested_on: string; report_ref: string };
}
interface EditionHead { edition: number; published_at: string; publisher: { id: number; name: string; uscc: string } }
export interface ResourceEditionBody extends EditionHead { catalogue: 'resources'; items: EditionResource[] }
export interface ProductEditionBody extends EditionHead { catalogue: 'products'; prices_on: string; items: EditionProduct[] }

/* Every list answer: one page, the cursor of the next, and the total when asked for. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

/* Service agreements (T5-8.2a): the nine clauses, SLA targets, signatures, versions, breaches. */
export type Agreement = S['Agreement'];
export type AgreementCreate = S['AgreementCreate'];
export type AgreementPatch = S['AgreementPatch'];
export type Breach = S['Breach'];
export type BreachCreate = S['BreachCreate'];
export type AgreementQuery = Q<'get_api_v1_agreements'>;
export type AgreementState = NonNullable<Agreement['state']>;
export type AgreementClause = BreachCreate['clause'];
export const AGREEMENT_STATES: AgreementState[] = ['draft', 'signing', 'in_force', 'superseded', 'expired'];
/* The nine clauses in the standard's order (the server's agreement_clause_names). */
export const AGREEMENT_CLAUSES: AgreementClause[] = [
  'responsibilities', 'service_content', 'quality_standards', 'security', 'breach_liability',
  'dispute_handling', 'ip_ownership', 'performance', 'fee_payment',
];
/* Incident severities the quality standards set response and resolution minutes for. */
export const SEVERITIES = [1, 2, 3, 4] as const;
/* Orders, budget lines and feedback (T5-5.3c, T5-7.2d, T5-8.2c, T5-8.2e, T5-10.2e). */
export type BudgetLine = S['BudgetLine'];
export type BudgetLineCreate = S['BudgetLineCreate'];
export type Order = S['Order'];
export type OrderItem = S['OrderItem'];
export type OrderCreate = S['OrderCreate'];
export type OrderApproval = S['OrderApproval'];
export type OrderAcceptance = S['OrderAcceptance'];
export type OrderTransition = S['OrderTransition'];
export type OrderChange = S['OrderChange'];
export type OrderChangeCreate = S['OrderChangeCreate'];
export type Feedback = S['Feedback'];
export type FeedbackAnswer = S['FeedbackAnswer'];
export type OrderState = NonNullable<Order['state']>;
export const ORDER_STATES: OrderState[] = ['applied', 'approved', 'refused', 'delivered', 'rejected', 'in_service', 'released'];
export type OrderQuery = Q<'get_api_v1_orders'>;
export type BudgetLineQuery = Q<'get_api_v1_budget_lines'>;
/* Procurement projects (T5-6.2a, T5-7.2c, T5-8.2b, T5-8.2c, T5-8.2f, T5-12.2c). */
export type Project = S['Project'];
export type ProjectDeclare = S['ProjectDeclare'];
export type ProjectBudget = S['ProjectBudget'];
export type ProjectTransition = S['ProjectTransition'];
export type ProjectTransitionCreate = S['ProjectTransitionCreate'];
export type Lot = S['Lot'];
export type LotCreate = S['LotCreate'];
export type Bid = S['Bid'];
export type BidCreate = S['BidCreate'];
export type Milestone = S['Milestone'];
export type MilestoneCreate = S['MilestoneCreate'];
export type MilestonePatch = S['MilestonePatch'];
export type SupervisionRecord = S['SupervisionRecord'];
export type SupervisionRecordCreate = S['SupervisionRecordCreate'];
export type EvaluationCreate = S['EvaluationCreate'];
export type ProviderBar = S['ProviderBar'];
export type ProviderBarCreate = S['ProviderBarCreate'];
export type MarketConcentration = S['MarketConcentration'];
export type MarketGroup = NonNullable<MarketConcentration['groups']>[number];
export type ProjectState = NonNullable<Project['state']>;
export type ProjectSubject = ProjectDeclare['subject'];
export type ProjectTarget = ProjectTransitionCreate['to'];
export type SupervisionConclusion = SupervisionRecordCreate['conclusion'];
export const PROJECT_STATES: ProjectState[] = ['declared', 'budgeted', 'procuring', 'supervising', 'evaluating', 'closed', 'cancelled'];
export const PROJECT_SUBJECTS: ProjectSubject[] = ['resource', 'product'];
export const SUPERVISION_CONCLUSIONS: SupervisionConclusion[] = ['conforming', 'rectification_required'];
export type ProjectQuery = Q<'get_api_v1_procurement_projects'>;
export type ProviderBarQuery = Q<'get_api_v1_provider_bars'>;
export type MarketQuery = Q<'get_api_v1_market_concentration'>;
/* Rating, bills, settlement statements, quality coefficients, budget alerts, spend (docs/billing.md). */
export type Bill = S['Bill'];
export type BillLine = S['BillLine'];
export type BillingRun = S['BillingRun'];
export type BillingRunCreate = S['BillingRunCreate'];
export type Settlement = S['Settlement'];
export type SettlementLine = S['SettlementLine'];
export type SettlementRun = S['SettlementRun'];
export type SettlementRunCreate = S['SettlementRunCreate'];
export type QualityCoefficient = S['QualityCoefficient'];
export type QualityCoefficientSet = S['QualityCoefficientSet'];
export type BudgetAlert = S['BudgetAlert'];
export type Spend = S['Spend'];
export type SpendShare = S['SpendShare'];
export type BillState = NonNullable<Bill['state']>;
export const BILL_STATES: BillState[] = ['draft', 'issued', 'superseded'];
/* The server refuses `total` on these lists (although the document offers it): cursor paging only. */
export type BillQuery = Omit<Q<'get_api_v1_bills'>, 'total'>;
export type SettlementQuery = Omit<Q<'get_api_v1_settlements'>, 'total'>;
export type AlertQuery = Omit<Q<'get_api_v1_budget_alerts'>, 'total'>;
/* Not paged: the server refuses limit and cursor here. */
export type CoefficientQuery = Q<'get_api_v1_quality_coefficients'>;
/* Both months are required by the server. */
export type SpendQuery = Q<'get_api_v1_billing_spend'> & { from: string; to: string };
/* GET /bills/{id}/export and /settlements/{id}/export: the document declares format as a string. */
export type ExportFormat = 'csv' | 'xlsx';
export type SigningKey = S['SigningKey'];
export type PriceBackdating = S['PriceBackdating'];
export type PriceBackdatingCreate = S['PriceBackdatingCreate'];
export type AllocationServiceStart = S['AllocationServiceStart'];
