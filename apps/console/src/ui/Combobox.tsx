import { useState, type KeyboardEvent } from 'react';

export interface ComboOption {
  id: string;
  label: string;
  /** A second line that tells two alike apart: an email, a role. */
  detail?: string | null | undefined;
}

/**
 * A text box that suggests options as one types (WAI-ARIA combobox with a listbox): the arrow
 * keys move through the suggestions, Enter picks one, Escape closes the list. The options and
 * their loading are the caller's; what happens on a pick too.
 */
export function Combobox({
  id,
  label,
  text,
  onTextChange,
  options,
  statusText,
  onPick,
  onOpen,
  placeholder,
  hint,
  error,
}: {
  id: string;
  label: string;
  text: string;
  onTextChange: (text: string) => void;
  options: ComboOption[];
  /** Said below the box while the list is open: "Searching…", "No customer matches". */
  statusText: string | null;
  onPick: (option: ComboOption) => void;
  /** The list was opened (focus, typing or ArrowDown): a caller may start loading then. */
  onOpen?: () => void;
  placeholder?: string;
  hint?: string;
  error?: string | undefined;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = `${id}-listbox`;
  const showList = open && options.length > 0;
  // A new list of suggestions starts with none highlighted.
  const listed = options.map((o) => o.id).join('\n');
  const [seen, setSeen] = useState(listed);
  if (seen !== listed) {
    setSeen(listed);
    setActive(-1);
  }

  const openList = () => {
    if (!open) {
      setOpen(true);
      onOpen?.();
    }
  };
  const pick = (option: ComboOption) => {
    onPick(option);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      openList();
      if (options.length > 0) setActive((active + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openList();
      if (options.length > 0) setActive((active - 1 + options.length) % options.length);
    } else if (event.key === 'Enter') {
      const option = showList ? options[active] : undefined;
      // Enter picks the highlighted suggestion; with none it never submits the form around.
      if (open) event.preventDefault();
      if (option) pick(option);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (text !== '') {
        event.preventDefault();
        onTextChange('');
      }
    }
  };
  const describedBy =
    [
      hint ? `${id}-hint` : null,
      open && statusText ? `${id}-status` : null,
      error ? `${id}-error` : null,
    ]
      .filter((v) => v !== null)
      .join(' ') || undefined;
  const activeOption = showList ? options[active] : undefined;

  return (
    <div className={`field combobox${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={activeOption ? `${id}-option-${activeOption.id}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        placeholder={placeholder}
        value={text}
        onFocus={openList}
        onBlur={() => {
          setOpen(false);
          setActive(-1);
        }}
        onChange={(e) => {
          onTextChange(e.target.value);
          openList();
        }}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={label}
        className="combobox-list"
        hidden={!showList}
      >
        {options.map((option, i) => (
          <li
            key={option.id}
            id={`${id}-option-${option.id}`}
            role="option"
            aria-selected={i === active}
            className="combobox-option"
            // Keeps the focus in the box, so the pick does not first close the list on blur.
            onMouseDown={(e) => {
              e.preventDefault();
            }}
            onClick={() => {
              pick(option);
            }}
          >
            <span>{option.label}</span>
            {option.detail && <span className="muted combobox-detail">{option.detail}</span>}
          </li>
        ))}
      </ul>
      <p id={`${id}-status`} className="field-hint" role="status">
        {open ? statusText : null}
      </p>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
