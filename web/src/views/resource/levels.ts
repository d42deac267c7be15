/* The service levels allocations are delivered at and prices are graded by (GB/T 34077.2,
 * docs/billing.md), in their order; labels are serviceLevel.<name>. */
export const SERVICE_LEVELS = ['basic', 'standard', 'premium'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
