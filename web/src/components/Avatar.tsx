import { hueFor } from '../lib/format';

export function Avatar({
  id,
  name,
  online,
  size = 36,
}: {
  id: string;
  name: string;
  online?: boolean;
  size?: number;
}) {
  const initial = [...name.replace(/^guest-/, '')][0]?.toUpperCase() ?? '?';
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        fontSize: size * 0.45,
        backgroundColor: `hsl(${hueFor(id)} 55% 45%)`,
      }}
    >
      {initial}
      {online !== undefined ? <span className={online ? 'presence online' : 'presence'} /> : null}
    </span>
  );
}
