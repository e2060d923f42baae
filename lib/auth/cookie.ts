// Kept apart from the auth options so that proxy.ts can read it without loading the database.
export const useSecureCookies = (process.env.NEXTAUTH_URL ?? '').startsWith('https://');
export const SESSION_COOKIE = `${useSecureCookies ? '__Secure-' : ''}next-auth.session-token`;
