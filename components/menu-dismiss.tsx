'use client';

import { useEffect } from 'react';

// The header's 菜单 is a <details> (it opens without scripts). Once the scripts are there, a tap
// outside it or Escape closes it, as people expect of a menu; Escape puts the focus back on 菜单.
// It renders nothing: the menu's markup stays server HTML (components/app-shell.tsx). A client
// component rather than an inline script: pages reached by a server action's redirect (signing in,
// for one) are drawn by React on the client, where an inline script never runs.

const MENUS = 'details[data-shell-menu]';

export function MenuDismiss() {
  useEffect(() => {
    const openMenus = () => Array.from(document.querySelectorAll<HTMLDetailsElement>(`${MENUS}[open]`));
    function onPointer(e: PointerEvent) {
      for (const menu of openMenus()) {
        if (!(e.target instanceof Node) || !menu.contains(e.target)) menu.open = false;
      }
    }
    function onKey(e: KeyboardEvent) {
      if (e.key !== 'Escape') return;
      for (const menu of openMenus()) {
        menu.open = false;
        menu.querySelector('summary')?.focus();
      }
    }
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    // Says the menu now closes this way (tests wait for it rather than for the page to look ready).
    for (const menu of document.querySelectorAll<HTMLElement>(MENUS)) menu.dataset.dismiss = 'on';
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  return null;
}
