import { useEffect } from 'react';

/** The document title names the page, so a screen reader and the tab say where one is. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Enhanced CRM`;
  }, [title]);
}
