/** The app's own origin: the renderer is served by the `lumen://` protocol from packaged files. */
export const APP_SCHEME = 'lumen';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Only the app's own pages may be shown; everything else (remote, file:, other schemes) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/**
 * Requests the renderer's session may make: its own files and data channel, and devtools in
 * development. Every http(s)/ws(s) request is cancelled: no telemetry, no CDN, no remote content.
 * PACS traffic comes from the back end in Node, not from the renderer.
 */
export function isAllowedRendererRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  return url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:lumen://app/');
}
