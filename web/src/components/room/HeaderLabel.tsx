import type { ReactNode } from 'react';

const paths = {
  members:
    'M2.5 20c.8-3.5 3.3-5.5 6.5-5.5s5.7 2 6.5 5.5M16 4.8a3.5 3.5 0 0 1 0 6.4M18.5 14.8c1.6.8 2.6 2.6 3 5.2M12.5 8a3.5 3.5 0 1 1-7 0 3.5 3.5 0 0 1 7 0',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 13.5l1.6 1.2-2 3.4-1.9-.7a7 7 0 0 1-2 1.2L14.8 21h-4l-.3-2a7 7 0 0 1-2-1.2l-1.9.7-2-3.4 1.6-1.2a7 7 0 0 1 0-2.4L4.6 10l2-3.4 1.9.7a7 7 0 0 1 2-1.2l.3-2.1h4l.3 2a7 7 0 0 1 2 1.2l1.9-.7 2 3.4-1.6 1.2a7 7 0 0 1 0 2.4z',
  leave: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10',
  pin: 'M9 3h6l-1 6 4 4H6l4-4-1-6zM12 13v8',
};

/**
 * A header button's label: words on wide screens, an icon on phones (where the words stay for
 * screen readers), so the room's name keeps its room.
 */
export function HeaderLabel({
  text,
  icon,
  children,
}: {
  text: string;
  icon: keyof typeof paths;
  children?: ReactNode;
}) {
  return (
    <>
      <span className="wide-only">{text} </span>
      <svg className="narrow-only" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path
          d={paths[icon]}
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="visually-hidden narrow-only">{text} </span>
      {children}
    </>
  );
}
