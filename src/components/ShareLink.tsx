/**
 * A share link made on request: the models' specs (not their weights) in the URL's fragment,
 * shown in a field to copy, and copied to the clipboard where the browser allows it.
 */
import { useId, useState } from 'react';

interface ShareLinkProps {
  /** The button's text, e.g. "Link to these models". */
  readonly label: string;
  readonly makeUrl: () => Promise<string | null>;
  readonly disabled?: boolean;
  /** What the link leaves out, said beside it: as it was when the link was made. */
  readonly caveat?: string;
}

export function ShareLink({ label, makeUrl, disabled = false, caveat }: ShareLinkProps) {
  const id = useId();
  const [url, setUrl] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [madeCaveat, setMadeCaveat] = useState<string | undefined>(undefined);
  const onClick = async (): Promise<void> => {
    const madeWith = caveat;
    const made = await makeUrl();
    setUrl(made);
    setMadeCaveat(madeWith);
    if (made === null) return;
    try {
      await navigator.clipboard.writeText(made);
      setNote('Copied to the clipboard.');
    } catch {
      setNote('Select the link and copy it.');
    }
  };
  return (
    <div className="share-link">
      <button type="button" disabled={disabled} onClick={() => void onClick()}>
        {label}
      </button>
      {url !== null && (
        <>
          <label htmlFor={id}>Share link</label>
          <input id={id} type="text" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
          <span className="muted" role="status">
            {note} It recreates the models, not their weights.{madeCaveat === undefined ? '' : ` ${madeCaveat}`}
          </span>
        </>
      )}
    </div>
  );
}
