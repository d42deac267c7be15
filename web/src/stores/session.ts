/*
 * Who is logged in and what they may do. The menus and route guards read `can()`; the API still
 * checks every call. The session itself lives in the HttpOnly cookie; only the CSRF token is kept
 * (in sessionStorage) for writes.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { csrfToken, setCsrfToken } from '@/api/client';
import { sessionApi } from '@/api/endpoints';
import type { InstitutionBrief, InstitutionKind, Person } from '@/api/types';

export const useSessionStore = defineStore('session', () => {
  const person = ref<Person | null>(null);
  const institution = ref<InstitutionBrief | null>(null);
  const permissions = ref<string[]>([]);
  const expiresAt = ref<string | null>(null);
  const loaded = ref(false);

  const loggedIn = computed(() => person.value !== null);
  const kind = computed(() => (institution.value?.kind ?? '') as InstitutionKind | '');
  const isManagement = computed(() => kind.value === 'management');
  const timezone = computed(() => institution.value?.timezone || 'Asia/Shanghai');

  function can(perm: string): boolean {
    return permissions.value.includes(perm);
  }

  /* Reads the session from the server; false when there is none (or this tab lacks the CSRF token). */
  async function load(): Promise<boolean> {
    try {
      const who = await sessionApi.whoami();
      person.value = who.person ?? null;
      institution.value = who.institution ?? null;
      permissions.value = who.permissions ?? [];
      expiresAt.value = who.expires_at ?? null;
      loaded.value = true;
      return true;
    } catch {
      clear();
      loaded.value = true;
      return false;
    }
  }

  async function login(loginName: string, password: string): Promise<void> {
    const s = await sessionApi.login(loginName, password);
    setCsrfToken(s.csrf_token ?? null);
    await load();
  }

  async function logout(): Promise<void> {
    try {
      await sessionApi.logout();
    } finally {
      clear();
    }
  }

  function clear(): void {
    person.value = null;
    institution.value = null;
    permissions.value = [];
    expiresAt.value = null;
    setCsrfToken(null);
  }

  function hasCsrf(): boolean {
    return csrfToken() !== null;
  }

  return { person, institution, permissions, expiresAt, loaded, loggedIn, kind, isManagement, timezone, can, load, login, logout, clear, hasCsrf };
});
