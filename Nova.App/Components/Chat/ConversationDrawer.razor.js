// The browser's IANA time zone, so chats group by the user's days rather than the server's.
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
