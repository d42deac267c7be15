/*
 * The lifecycle buttons of one object come from the server: `actions` are the transitions the
 * person may take now, `blocked_actions` those its state, role and permission allow but a rule
 * refuses now (the button shows; the server's refusal says why). No view copies the rules.
 */
export interface BlockedAction {
  action: string;
  rule: string;
  detail: string;
  params: Record<string, string | number>;
}

interface WithActions {
  actions?: string[];
  blocked_actions?: BlockedAction[];
}

/* True when the server offers action on this object (now, or refused by a rule it explains). */
export function offers(entity: WithActions | null | undefined, action: string): boolean {
  if (!entity) return false;
  return (entity.actions ?? []).includes(action) || (entity.blocked_actions ?? []).some((b) => b.action === action);
}

/* The refusal the server already knows for action, or null when it may be taken. */
export function blockedBy(entity: WithActions | null | undefined, action: string): BlockedAction | null {
  return entity?.blocked_actions?.find((b) => b.action === action) ?? null;
}
