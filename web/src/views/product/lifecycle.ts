/*
 * The product states and the service lifecycle of GB/T 34077.5 §3.4 (产生, 规划设计, 发布, 交付,
 * 运行, 下线). The server reports each state's stage (lifecycle_stage); this is the same mapping
 * (product_lifecycle_stage in src/domain/product), written out for the table and the steps.
 */
import type { ProductState } from '@/api/types';

export type Stage = 'creation' | 'planning_design' | 'release_operation' | 'offline';

export const STATE_STAGE: Record<ProductState, Stage> = {
  draft: 'creation',
  submitted: 'planning_design',
  testing: 'planning_design',
  passed: 'planning_design',
  failed: 'planning_design',
  online: 'release_operation',
  offline: 'offline',
  eliminated: 'offline',
};

/* The six stages the standard names, in order. */
export const STANDARD_STAGES = ['creation', 'planning_design', 'release', 'delivery', 'operation', 'offline'] as const;

/* The step of STANDARD_STAGES a product is in: release_operation covers release, delivery and operation. */
export function stageStep(stage: string | undefined): number {
  switch (stage) {
    case 'creation': return 0;
    case 'planning_design': return 1;
    case 'release_operation': return 4;
    case 'offline': return 5;
    default: return 0;
  }
}
