import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SaveFailed } from './SaveFailed';
import { Pencil, UserPlus } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/problem';
import type { StaffRole, TeamMember, UpdateTeamMember } from '../../api/types';
import { ROLE_LABELS } from '../../auth/claims';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';
import { useCursorTrail } from '../../ui/cursor-trail';
import { errorsFor } from './form-errors';
import { Pager } from '../../ui/Pager';
import { MEMBERS_KEY, TEAMS_KEY, useTeams } from './team-queries';
import { TeamsSection } from './TeamsSection';

const PAGE_SIZE = 50;
const STAFF_ROLES: StaffRole[] = ['admin', 'manager', 'staff', 'sales_rep'];

interface Filters {
  q: string;
  role: StaffRole | '';
  active: '' | 'true' | 'false';
}

/** A select of the staff roles; `Field` gives it its id and error description. */
function RoleSelect({
  value,
  onChange,
  ...control
}: {
  value: StaffRole;
  onChange: (role: StaffRole) => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  return (
    <select
      {...control}
      value={value}
      onChange={(e) => {
        const role = STAFF_ROLES.find((r) => r === e.target.value);
        if (role) onChange(role);
      }}
    >
      {STAFF_ROLES.map((r) => (
        <option key={r} value={r}>
          {ROLE_LABELS[r]}
        </option>
      ))}
    </select>
  );
}

function AddMemberForm({ onDone }: { onDone: (member: TeamMember | null) => void }) {
  const queryClient = useQueryClient();
  const { can } = useSession();
  const teams = useTeams(can('listTeams'));
  const [draft, setDraft] = useState({
    name: '',
    email: '',
    id: '',
    role: 'staff' as StaffRole,
    team_ids: [] as string[],
  });
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/team/members', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            name: draft.name.trim(),
            email: draft.email.trim() === '' ? null : draft.email.trim(),
            role: draft.role,
            team_ids: draft.team_ids,
            ...(draft.id.trim() === '' ? {} : { id: draft.id.trim() }),
          },
        }),
      ),
    onSuccess: (member) => {
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
      onDone(member);
    },
  });
  const errorOf = errorsFor(add.error);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="add-member-heading" noValidate>
      <h2 id="add-member-heading">Add a member</h2>
      <p className="field-hint">
        Someone who has not signed in yet, so customers can be assigned to them at once.
      </p>
      {add.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The member was not added</p>
          <p>{describeError(add.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field id="member-name" label="Name" error={errorOf('name')}>
          <input
            type="text"
            value={draft.name}
            autoComplete="off"
            onChange={(e) => {
              setDraft({ ...draft, name: e.target.value });
            }}
          />
        </Field>
        <Field id="member-email" label="Email" error={errorOf('email')}>
          <input
            type="email"
            value={draft.email}
            autoComplete="off"
            onChange={(e) => {
              setDraft({ ...draft, email: e.target.value });
            }}
          />
        </Field>
        <Field id="member-role" label="Role" error={errorOf('role')}>
          <RoleSelect
            value={draft.role}
            onChange={(role) => {
              setDraft({ ...draft, role });
            }}
          />
        </Field>
        <Field
          id="member-id"
          label="Sign-in id (optional)"
          hint="The subject their identity provider puts in their tokens; left empty, a new one"
          error={errorOf('id')}
        >
          <input
            type="text"
            value={draft.id}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setDraft({ ...draft, id: e.target.value });
            }}
          />
        </Field>
      </div>
      {(teams.data?.length ?? 0) > 0 && (
        <fieldset className="form-section">
          <legend>Teams</legend>
          {teams.data?.map((team) => (
            <div className="checkbox" key={team.id}>
              <input
                id={`member-team-${team.id}`}
                type="checkbox"
                checked={draft.team_ids.includes(team.id)}
                onChange={(e) => {
                  setDraft({
                    ...draft,
                    team_ids: e.target.checked
                      ? [...draft.team_ids, team.id]
                      : draft.team_ids.filter((t) => t !== team.id),
                  });
                }}
              />
              <label htmlFor={`member-team-${team.id}`}>{team.name}</label>
            </div>
          ))}
          {errorOf('team_ids') && <p className="field-error">{errorOf('team_ids')}</p>}
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add member'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            onDone(null);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function EditMemberRow({
  member,
  onDone,
}: {
  member: TeamMember;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState({
    name: member.name,
    email: member.email ?? '',
    role: member.role,
  });
  const changes: UpdateTeamMember = {};
  if (draft.name.trim() !== member.name) changes.name = draft.name.trim();
  const email = draft.email.trim() === '' ? null : draft.email.trim();
  if (email !== member.email) changes.email = email;
  if (draft.role !== member.role) changes.role = draft.role;
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/crm/team/members/{id}', {
          params: { path: { id: member.id }, header: { 'If-Match': `"${member.version}"` } },
          body: changes,
        }),
      ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      onDone(`${saved.name} is saved.`);
    },
  });
  const errorOf = errorsFor(save.error);
  const id = `member-${member.id}`;
  return (
    <tr className="inline-form">
      <td colSpan={5}>
        <form
          aria-label={`Edit ${member.name}`}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (Object.keys(changes).length === 0) onDone('');
            else save.mutate();
          }}
        >
          {save.isError && <SaveFailed error={save.error} what="member" />}
          <div className="form-grid">
            <Field id={`${id}-name`} label="Name" error={errorOf('name')}>
              <input
                type="text"
                value={draft.name}
                autoComplete="off"
                onChange={(e) => {
                  setDraft({ ...draft, name: e.target.value });
                }}
              />
            </Field>
            <Field id={`${id}-email`} label="Email" error={errorOf('email')}>
              <input
                type="email"
                value={draft.email}
                autoComplete="off"
                onChange={(e) => {
                  setDraft({ ...draft, email: e.target.value });
                }}
              />
            </Field>
            <Field id={`${id}-role`} label="Role" error={errorOf('role')}>
              <RoleSelect
                value={draft.role}
                onChange={(role) => {
                  setDraft({ ...draft, role });
                }}
              />
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save member'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
                onDone('');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

/** The staff directory: who works in the CRM, their role and teams; admins change it. */
export function TeamPage() {
  usePageTitle('Team');
  const { can, claims } = useSession();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ q: '', role: '', active: '' });
  const [typed, setTyped] = useState('');
  const filterKey = JSON.stringify(filters);
  const trail = useCursorTrail(filterKey);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deactivating, setDeactivating] = useState<TeamMember | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const members = useQuery({
    queryKey: [...MEMBERS_KEY, filterKey, trail.cursor],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/crm/team', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filters.q === '' ? {} : { q: filters.q }),
              ...(filters.role === '' ? {} : { role: filters.role }),
              ...(filters.active === '' ? {} : { active: filters.active }),
              ...(trail.cursor === undefined ? {} : { cursor: trail.cursor }),
            },
          },
          signal,
        }),
      ),
  });
  const setActive = useMutation({
    mutationFn: ({ member, active }: { member: TeamMember; active: boolean }) =>
      unwrap(
        api.PATCH('/crm/team/members/{id}', {
          params: { path: { id: member.id }, header: { 'If-Match': `"${member.version}"` } },
          body: { active },
        }),
      ),
    onSuccess: (member) => {
      setDeactivating(null);
      setAnnouncement(`${member.name} is ${member.active ? 'active again' : 'deactivated'}.`);
      void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    },
  });
  const canChange = can('updateTeamMember');
  const rows = members.data?.data ?? [];
  const filtered = filters.q !== '' || filters.role !== '' || filters.active !== '';

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">Team</h1>
          <p className="muted">
            Everyone who works in the CRM. People join at their first sign-in; a deactivated member
            cannot sign in.
          </p>
        </div>
        {can('addTeamMember') && !adding && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setAdding(true);
            }}
          >
            <UserPlus aria-hidden="true" size={16} /> Add member
          </button>
        )}
      </header>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {adding && (
        <AddMemberForm
          onDone={(member) => {
            setAdding(false);
            if (member) setAnnouncement(`${member.name} was added.`);
          }}
        />
      )}
      <form
        className="filters-inline"
        role="search"
        aria-label="Team members"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...filters, q: typed.trim() });
        }}
      >
        <Field id="member-search" label="Find members" hint="Part of a name or email">
          <input
            type="search"
            value={typed}
            autoComplete="off"
            onChange={(e) => {
              setTyped(e.target.value);
            }}
          />
        </Field>
        <Field id="member-filter-role" label="Role">
          <select
            value={filters.role}
            onChange={(e) => {
              const role = STAFF_ROLES.find((r) => r === e.target.value) ?? '';
              setFilters({ ...filters, role });
            }}
          >
            <option value="">Any role</option>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="member-filter-active" label="Status">
          <select
            value={filters.active}
            onChange={(e) => {
              const v = e.target.value;
              setFilters({ ...filters, active: v === 'true' || v === 'false' ? v : '' });
            }}
          >
            <option value="">Active or not</option>
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
          </select>
        </Field>
        <div className="filters-actions">
          <button type="submit" className="btn">
            Find
          </button>
        </div>
      </form>
      {setActive.isError && !deactivating && (
        <ErrorMessage title="The change was not saved" error={setActive.error} />
      )}
      {members.isPending ? (
        <Loading label="Loading the team…" />
      ) : members.isError ? (
        <ErrorMessage
          title="The team could not be loaded"
          error={members.error}
          onRetry={() => void members.refetch()}
        />
      ) : rows.length === 0 ? (
        <Empty title={filtered ? 'Nobody matches these filters' : 'Nobody in the directory yet'}>
          <p>{filtered ? 'Try other words or filters.' : 'Members join at their first sign-in.'}</p>
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={members.isFetching}>
              <caption className="visually-hidden">Team members</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Teams</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((member) =>
                  editing === member.id ? (
                    <EditMemberRow
                      key={member.id}
                      member={member}
                      onDone={(message) => {
                        setEditing(null);
                        setAnnouncement(message);
                      }}
                    />
                  ) : (
                    <tr key={member.id}>
                      <td>
                        <div className="name-cell">
                          <span>
                            {member.name}
                            {member.id === claims?.sub && <span className="muted"> (you)</span>}
                          </span>
                          {!member.active && <Badge tone="bad">Deactivated</Badge>}
                        </div>
                        <span className="field-hint">{member.email ?? 'No email'}</span>
                      </td>
                      <td data-label="Role">{ROLE_LABELS[member.role]}</td>
                      <td data-label="Teams">
                        {member.teams.length > 0 ? (
                          member.teams.map((t) => t.name).join(', ')
                        ) : (
                          <span className="muted">None</span>
                        )}
                      </td>
                      <td data-label="Last seen">
                        {member.last_seen_at ? (
                          <time
                            dateTime={member.last_seen_at}
                            title={format.dateTime(member.last_seen_at)}
                          >
                            {format.relative(member.last_seen_at)}
                          </time>
                        ) : (
                          <span className="muted">Never signed in</span>
                        )}
                      </td>
                      <td>
                        {canChange && (
                          <div className="row-actions">
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => {
                                setEditing(member.id);
                              }}
                            >
                              <Pencil aria-hidden="true" size={14} /> Edit
                              <span className="visually-hidden"> {member.name}</span>
                            </button>
                            {member.id !== claims?.sub && (
                              <button
                                type="button"
                                className="btn btn-small"
                                disabled={setActive.isPending}
                                onClick={() => {
                                  setActive.reset();
                                  if (member.active) setDeactivating(member);
                                  else setActive.mutate({ member, active: true });
                                }}
                              >
                                {member.active ? 'Deactivate' : 'Reactivate'}
                                <span className="visually-hidden"> {member.name}</span>
                              </button>
                            )}
                          </div>
                        )}
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of members"
            cursors={trail.cursors}
            onCursors={trail.set}
            nextCursor={members.data.next_cursor}
            hideWhenSingle
          />
        </>
      )}
      {deactivating && (
        <ConfirmDialog
          title={`Deactivate ${deactivating.name}?`}
          confirmLabel="Deactivate"
          busy={setActive.isPending}
          error={setActive.error}
          onConfirm={() => {
            setActive.mutate({ member: deactivating, active: false });
          }}
          onCancel={() => {
            setDeactivating(null);
          }}
        >
          <p>
            Their requests are refused from now on and customers can no longer be assigned to them.
            You can reactivate them later.
          </p>
        </ConfirmDialog>
      )}
      {can('listTeams') && <TeamsSection />}
    </section>
  );
}
