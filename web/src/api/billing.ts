/*
 * Bills, settlement statements, quality coefficients, budget alerts and spend (docs/billing.md).
 * NEEDSWORK: written by hand from the contract while the server's routes do not exist; once
 * they are served, regenerate schema.d.ts and take these names from it in ./types.ts.
 * Money is integer fen, quantities and coefficients are decimal strings: nothing here is a
 * binary fraction.
 */
import type { Page } from './types';

export type BillState = 'draft' | 'issued' | 'superseded';
export const BILL_STATES: BillState[] = ['draft', 'issued', 'superseded'];
export type ServiceLevel = 'basic' | 'standard' | 'premium';
export type PriceSource = 'basis' | 'list';

export interface BillLine {
  line_no: number;
  provider_id: number;
  provider_name: string;
  product_id: number;
  product_name: string;
  metric_id: number;
  metric_name: string;
  unit: string;
  application: string;
  service_level: ServiceLevel;
  basis_id: number | null;
  price_source: PriceSource;
  budget_line_id: number | null;
  budget_code: string | null;
  /* decimal string in the metric's unit */
  quantity: string;
  records: number;
  amount_fen: number;
}

export interface Bill {
  id: number;
  user_id: number;
  user_name: string;
  period: string;
  version: number;
  state: BillState;
  total_fen: number;
  line_count: number;
  records: number;
  reason: string;
  rated_at: string | null;
  rated_by: number | null;
  issued_at: string | null;
  issued_by: number | null;
  superseded_by: number | null;
  lines?: BillLine[];
}

export interface BillingRun {
  period: string;
  bills: number;
  lines: number;
  records: number;
  total_fen: number;
  corrections: number;
  elapsed_ms: number;
}

export interface BillingRunCreate {
  period: string;
  user_id?: number;
  reason?: string;
}

export interface SettlementLine {
  line_no: number;
  user_id: number;
  user_name: string;
  bill_id: number;
  product_id: number;
  product_name: string;
  line_count: number;
  amount_fen: number;
}

export interface Settlement {
  id: number;
  provider_id: number;
  provider_name: string;
  period: string;
  version: number;
  state: BillState;
  gross_fen: number;
  /* decimal string, "0.9500" */
  coefficient: string;
  net_fen: number;
  reason: string;
  rated_at: string | null;
  issued_at: string | null;
  superseded_by: number | null;
  lines?: SettlementLine[];
}

export interface SettlementRun {
  period: string;
  statements: number;
  total_gross_fen: number;
  total_net_fen: number;
}

export interface SettlementRunCreate {
  period: string;
  provider_id?: number;
  reason?: string;
}

export interface QualityCoefficient {
  provider_id: number;
  provider_name: string;
  period: string;
  coefficient: string;
  note: string;
  set_by: number | null;
  set_at: string | null;
}

export interface QualityCoefficientSet {
  provider_id: number;
  period: string;
  coefficient: string;
  note?: string;
}

export interface BudgetAlert {
  id: number;
  budget_line_id: number;
  budget_code: string;
  budget_name: string;
  fiscal_year: number;
  user_id: number;
  user_name: string;
  threshold_pct: number;
  billed_fen: number;
  amount_fen: number;
  bill_id: number;
  fired_at: string | null;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
}

export interface SpendItem {
  id: number;
  name: string;
  total_fen: number;
}

export interface Spend {
  months: { period: string; total_fen: number }[];
  by_provider: SpendItem[];
  by_product: SpendItem[];
}

type Paging = { limit?: number; cursor?: string; total?: boolean };
export type BillQuery = Paging & { period?: string; user_id?: number; state?: BillState };
export type SettlementQuery = Paging & { period?: string; provider_id?: number; state?: BillState };
export type CoefficientQuery = Paging & { period?: string; provider_id?: number };
export type AlertQuery = Paging & { user_id?: number; open?: boolean };
export type SpendQuery = { from?: string; to?: string; user_id?: number; provider_id?: number };
export type ExportFormat = 'csv' | 'xlsx';
export type BillPage = Page<Bill>;

/* A budget line as GET /budget-lines answers once billing is served: beside the committed
 * amount (orders' estimates), what the current issued bills charged to it. */
export interface BudgetLineBilled {
  billed_fen?: number;
  /* per cent of the line's amount, as the server computes it */
  billed_pct?: number | string;
}
