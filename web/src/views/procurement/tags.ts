/* Tag colours of project states. */
export function projectStateType(s: string | undefined): 'info' | 'primary' | 'success' | 'warning' | 'danger' {
  switch (s) {
    case 'procuring':
    case 'supervising':
    case 'evaluating':
      return 'warning';
    case 'closed':
      return 'success';
    case 'cancelled':
      return 'danger';
    case 'budgeted':
      return 'primary';
    default:
      return 'info';
  }
}
