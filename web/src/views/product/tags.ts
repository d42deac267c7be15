/* Element Plus tag colours for product states (one place, so lists and pages agree). */
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export function stateType(s?: string): TagType {
  switch (s) {
    case 'online': return 'success';
    case 'passed': return 'success';
    case 'failed': return 'danger';
    case 'eliminated': return 'danger';
    case 'submitted':
    case 'testing': return 'warning';
    case 'draft': return 'primary';
    default: return 'info';
  }
}
