import { X } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../../api/problem';
import type { TeamMember } from '../../api/types';
import { ROLE_LABELS } from '../../auth/claims';
import { Combobox } from '../../ui/Combobox';
import { useDebounced } from '../../ui/debounce';
import { useMember, useMemberSearch } from '../team/queries';

/** Suggests active members of the staff directory (`GET /crm/team`) by name or email. */
export function MemberPicker({
  id,
  label,
  onPick,
  excludeIds = [],
  hint,
  error,
}: {
  id: string;
  label: string;
  onPick: (member: TeamMember) => void;
  excludeIds?: readonly string[];
  hint?: string;
  error?: string | undefined;
}) {
  const [text, setText] = useState('');
  const [opened, setOpened] = useState(false);
  const words = useDebounced(text);
  const search = useMemberSearch(words, opened);
  const members = (search.data ?? []).filter((m) => !excludeIds.includes(m.id));
  const statusText = !opened
    ? null
    : search.isError
      ? `The staff directory could not be read: ${describeError(search.error)}`
      : search.isPending || words !== text.trim()
        ? 'Looking in the staff directory…'
        : members.length === 0
          ? 'No active member matches'
          : `${String(members.length)} ${members.length === 1 ? 'member' : 'members'} found`;
  return (
    <Combobox
      id={id}
      label={label}
      text={text}
      onTextChange={setText}
      onOpen={() => {
        setOpened(true);
      }}
      options={members.map((m) => ({
        id: m.id,
        label: m.name,
        detail: [m.email, ROLE_LABELS[m.role]].filter(Boolean).join(' · '),
      }))}
      statusText={statusText}
      onPick={(option) => {
        const member = members.find((m) => m.id === option.id);
        if (member) onPick(member);
        setText('');
      }}
      placeholder="Type a name or email"
      {...(hint === undefined ? {} : { hint })}
      error={error}
    />
  );
}

/** A member's name from the directory, or their id where the directory does not know them. */
export function MemberName({ id }: { id: string }) {
  const member = useMember(id);
  if (member.isPending) return <span>{id}</span>;
  if (member.isError || member.data === null) {
    return (
      <span>
        {id} <span className="muted">(not in the staff directory)</span>
      </span>
    );
  }
  return <span>{member.data.name}</span>;
}

/** A member as a chip with a button that takes them off a list, named by their name. */
export function MemberChip({
  id,
  what,
  onRemove,
}: {
  id: string;
  /** What they are on the list, for the button: "collaborator". */
  what: string;
  onRemove: () => void;
}) {
  const member = useMember(id);
  const name = member.data?.name ?? id;
  return (
    <li className="chip chip-static">
      <MemberName id={id} />
      <button
        type="button"
        className="chip-remove"
        aria-label={`Remove ${what} ${name}`}
        onClick={onRemove}
      >
        <X aria-hidden="true" size={14} />
      </button>
    </li>
  );
}
