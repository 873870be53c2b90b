import type { ReactNode } from "react";

/**
 * A box that scrolls sideways on a narrow screen (a wide table on a phone). It can take the
 * keyboard's focus and is named, so someone without a mouse can scroll it too (axe:
 * scrollable-region-focusable).
 */
export function ScrollArea({
  label,
  className = "",
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must take focus for keyboard users to scroll it (WCAG 2.1.1; axe scrollable-region-focusable)
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-x-auto ${className}`}>
      {children}
    </div>
  );
}
