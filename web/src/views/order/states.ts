/* Element Plus tag colours of the order states (one place, so every list agrees). */
type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export function orderStateType(s?: string): TagType {
  switch (s) {
    case 'approved':
      return 'primary';
    case 'delivered':
      return 'warning';
    case 'in_service':
      return 'success';
    case 'refused':
    case 'rejected':
      return 'danger';
    default:
      return 'info';
  }
}
