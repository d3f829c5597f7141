/**
 * Accessible tabs (WAI-ARIA tabs pattern): arrow keys move between tabs; panels stay mounted,
 * and tell their content whether it is on screen (`usePanelShown`), so that live views can
 * stop redrawing while hidden. That news is deferred (`useDeferredValue`): a click shows the
 * panel at once, as it was last drawn (empty, for content mounted only while shown), and its
 * live views catch up in a render that React splits into short tasks. Told at once, the
 * charts redrawn in the click's own task made a switch a 40-60 ms task while a model trained
 * (2-core VM).
 * A hidden panel keeps its layout (styles.css: `content-visibility: hidden` instead of
 * `display: none`), so showing it again lays out only what changed while it was hidden; it is
 * still out of the accessibility tree, the tab order and find-in-page.
 */
import { createContext, useContext, useDeferredValue, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const PanelShown = createContext(true);

/** Whether the tab panel around this component (and every panel around that) is the selected one. */
export function usePanelShown(): boolean {
  return useContext(PanelShown);
}

export interface TabSpec<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly content: ReactNode;
  /** True for a panel with nothing focusable in it: the panel itself is then a Tab stop (ARIA's tabs pattern), or Tab from its tab would leave the page. */
  readonly focusable?: boolean;
}

interface TabsProps<T extends string> {
  readonly label: string;
  readonly tabs: readonly TabSpec<T>[];
  readonly selected: T;
  readonly onSelect: (id: T) => void;
  readonly className?: string;
}

export function Tabs<T extends string>({ label, tabs, selected, onSelect, className }: TabsProps<T>) {
  const base = useId();
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const shown = usePanelShown();
  const shownTab = useDeferredValue(selected);
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>): void => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    // Arrows move to the next or previous tab (wrapping), Home and End to the first and last.
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (target === undefined || index < 0) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <div className={className}>
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) refs.current.set(tab.id, element);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={`${base}-panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={onKeyDown}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`${base}-panel-${tab.id}`}
          aria-labelledby={`${base}-tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="tabpanel"
          // Any panel can be given the focus from code (an Undo that went, say); only one with nothing focusable takes a Tab stop.
          tabIndex={tab.focusable === true ? 0 : -1}
        >
          <PanelShown value={shown && tab.id === shownTab}>{tab.content}</PanelShown>
        </div>
      ))}
    </div>
  );
}
