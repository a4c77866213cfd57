/**
 * An OpenID Connect provider for the tests: panva's certified oidc-provider on loopback.
 *
 * The tests start it (tests/servers/oidc.py) so that the app's sign-in talks to
 * a real provider, not a mock; nothing here is for a deployment.
 *
 *     node tests/servers/oidc/provider.mjs CONFIG.json
 *
 * CONFIG.json, written by the Python side for each run:
 *     port     where to listen on 127.0.0.1; the issuer is http://127.0.0.1:<port>
 *     clients  client metadata as oidc-provider takes it (client_id, redirect_uris,
 *              post_logout_redirect_uris, token_endpoint_auth_method, client_secret
 *              or the public jwks of a private_key_jwt client)
 *     users    [{sub, email, name, groups}]: who can sign in; sub is the account id
 *
 * What it does beyond oidc-provider's defaults:
 * - the authorization code flow only, with PKCE (S256) required of every client;
 * - scopes openid, email, profile and groups, their claims put in the ID token;
 * - a signing key made at start (RS256), kept in memory, published at /jwks;
 * - GET /interaction/<uid>: a sign-in page with one field, the account id (no
 *   password), that a test's HTTP client or Playwright submits; POST signs in
 *   as that account (unless the browser is signed in already) and consents to
 *   whatever the client asked for;
 * - RP-initiated logout (/session/end) with a one-button confirmation page;
 * - POST /__test__/mode {"mode": M}: the NEXT token response's ID token is
 *   re-signed to misbehave in one way, then the provider behaves again. M is
 *   bad-signature (signed with a key not in the JWKS, under the real key id),
 *   wrong-audience (aud the other client; azp still this one, which passes
 *   a relying party that checks azp but not aud), expired (an hour ago) or
 *   wrong-nonce. Every other claim, and the real key, stay as they were.
 */

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(await readFile(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const users = new Map(config.users.map((user) => [user.sub, user]));

const signing = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
let forger; // a key published nowhere, for forged tokens; made when first needed, as keys are slow to make

async function forgerKey() {
  forger ??= (await generateKeyPair('RS256')).privateKey;
  return forger;
}

const MISBEHAVIOURS = {
  'bad-signature': async (claims) => [claims, await forgerKey()],
  'wrong-audience': (claims) => [{ ...claims, aud: otherClient(claims.aud), azp: claims.aud }, signing.privateKey],
  expired: (claims) => [{ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 }, signing.privateKey],
  'wrong-nonce': (claims) => [{ ...claims, nonce: randomBytes(16).toString('base64url') }, signing.privateKey],
};
let nextMode = null;

function otherClient(clientId) {
  return config.clients.map((client) => client.client_id).find((id) => id !== clientId);
}

async function misbehave(idToken, mode) {
  const [claims, key] = await MISBEHAVIOURS[mode](decodeJwt(idToken));
  return new SignJWT(claims).setProtectedHeader(decodeProtectedHeader(idToken)).sign(key);
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(ctx, status, title, body) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function signInPage(ctx, uid, status = 200, error = '') {
  page(ctx, status, 'Sign in to the test provider', `${error ? `<p id="error">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${escape(uid)}">
      <label for="account">Account id</label> <input id="account" name="account" autocomplete="off">
      <button type="submit">Sign in</button>
    </form>`);
}

async function readBody(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The grant of everything the client asked for: a test user always consents. */
async function consent(details, accountId) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  return grant.save();
}

async function interaction(ctx, uid) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    signInPage(ctx, uid);
    return;
  }
  let accountId = details.session?.accountId;
  const result = {};
  if (details.prompt.name === 'login') {
    accountId = new URLSearchParams(await readBody(ctx)).get('account') ?? '';
    if (!users.has(accountId)) {
      signInPage(ctx, uid, 400, `No test user has the account id "${accountId}".`);
      return;
    }
    result.login = { accountId };
  }
  result.consent = { grantId: await consent(details, accountId) };
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
}

async function setMode(ctx) {
  const { mode } = JSON.parse(await readBody(ctx) || '{}');
  if (!(mode in MISBEHAVIOURS)) {
    ctx.status = 400;
    ctx.body = { error: `unknown mode ${JSON.stringify(mode)}; one of ${Object.keys(MISBEHAVIOURS).join(', ')}` };
    return;
  }
  nextMode = mode;
  ctx.status = 204;
}

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: { keys: [signingJwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  responseTypes: ['code'],
  pkce: { required: () => true },
  claims: {
    acr: null, auth_time: null, iss: null, sid: null,
    openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'],
  },
  conformIdTokenClaims: false, // the scopes' claims go in the ID token, where the app reads them
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        page(ctx, 200, 'Sign out of the test provider',
          `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
      },
    },
  },
  interactions: { url: (ctx, details) => `/interaction/${details.uid}` },
  // In seconds; set so that the log holds no notices about defaults.
  ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
  async findAccount(ctx, sub) {
    const user = users.get(sub);
    return user && { accountId: sub, claims: () => ({ ...user, email_verified: true }) };
  },
});

provider.use(async (ctx, next) => {
  const uid = ctx.path.match(/^\/interaction\/([\w-]+)$/)?.[1];
  if (uid && ['GET', 'POST'].includes(ctx.method)) {
    try {
      await interaction(ctx, uid);
    } catch (err) { // say what went wrong (a lost cookie, an expired sign-in), not just its code
      if (!err.expose) throw err;
      page(ctx, err.status, 'Sign-in failed', `<p id="error">${escape(err.error_description ?? err.message)}</p>`);
    }
  } else if (ctx.path === '/__test__/mode' && ctx.method === 'POST') {
    await setMode(ctx);
  } else {
    await next();
    if (nextMode && ctx.oidc?.route === 'token' && ctx.status === 200 && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await misbehave(ctx.body.id_token, nextMode) };
      nextMode = null;
    }
  }
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`test OpenID provider listening at ${issuer}`);
});
