/*
 * Names of the people who signed an agreement or recorded a breach. The API gives their ids only;
 * a name is read from /people/{id} when this person may see it (their own institution, or the
 * jurisdiction for management), and stays unknown otherwise (the page then shows the id).
 */
import { reactive } from 'vue';
import { personApi } from '@/api/endpoints';
import { useSessionStore } from '@/stores/session';

export function usePersonNames() {
  const session = useSessionStore();
  const names = reactive(new Map<number, string | null>());

  async function resolve(ids: (number | null | undefined)[]): Promise<void> {
    const todo = [...new Set(ids.filter((i): i is number => !!i && !names.has(i)))];
    await Promise.all(todo.map(async (id) => {
      if (id === session.person?.id) {
        names.set(id, session.person.name ?? null);
        return;
      }
      names.set(id, null);
      try {
        names.set(id, (await personApi.get(id)).data.name ?? null);
      } catch {
        /* not visible to this person: the id is shown */
      }
    }));
  }

  return { names, resolve };
}
