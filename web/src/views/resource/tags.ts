/* Element Plus tag colours for the states of resources and tests (one place, so lists agree). */
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const poolStatusType = (s?: string): TagType => (s === 'active' ? 'success' : s === 'suspended' ? 'warning' : 'info');
export const testTagType = (s?: string): TagType => (s === 'passed' ? 'success' : s === 'failed' ? 'danger' : s === 'assigned' ? 'warning' : 'info');
export const allocationStatusType = (s?: string): TagType => (s === 'active' ? 'success' : 'info');
