/** Recovery codes, shown once: the person must keep them before going on. */
export function RecoveryCodes({
  codes,
  onDone,
  doneLabel,
}: {
  codes: string[];
  onDone: () => void;
  doneLabel: string;
}) {
  return (
    <section className="recovery-codes" aria-label="Recovery codes">
      <p>
        Keep these recovery codes somewhere safe. Each one signs you in once if you lose your authenticator
        app. They are shown only now.
      </p>
      <ul className="recovery-code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="primary wide" onClick={onDone}>
        {doneLabel}
      </button>
    </section>
  );
}
