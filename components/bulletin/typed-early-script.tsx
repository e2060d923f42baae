import { headers } from 'next/headers';
import { TYPED_EARLY_SCRIPT } from './typed-early';

/** The inline script of typed-early.ts, with this request's CSP nonce; rendered before the composer. */
export async function TypedEarlyScript() {
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: TYPED_EARLY_SCRIPT }} />;
}
