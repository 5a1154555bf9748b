export function DrawerButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      className="icon-button drawer-button"
      aria-label="Open the room list"
      onClick={onClick}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
    </button>
  );
}
