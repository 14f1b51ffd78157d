import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2, Users } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/problem';
import type { Team } from '../../api/types';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { errorsFor, isStale } from './form-errors';
import { MEMBERS_KEY, TEAMS_KEY, useTeams } from './team-queries';

function changed(queryClient: ReturnType<typeof useQueryClient>) {
  void queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
  void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
}

function AddTeamForm({ onAdded }: { onAdded: (team: Team) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/team/teams', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: (team) => {
      changed(queryClient);
      setName('');
      setIdempotencyKey(crypto.randomUUID());
      onAdded(team);
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="filters-inline" onSubmit={submit} aria-label="Add a team" noValidate>
      <Field id="new-team-name" label="New team" error={errorsFor(create.error)('name', 'id')}>
        <input
          type="text"
          value={name}
          autoComplete="off"
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </Field>
      <div className="filters-actions">
        <button type="submit" className="btn" disabled={create.isPending}>
          <Plus aria-hidden="true" size={16} /> {create.isPending ? 'Adding…' : 'Add team'}
        </button>
      </div>
      {create.isError && errorsFor(create.error)('name', 'id') === undefined && (
        <p className="field-error" role="alert">
          {describeError(create.error)}
        </p>
      )}
    </form>
  );
}

function RenameTeamForm({ team, onDone }: { team: Team; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(team.name);
  const rename = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/crm/team/teams/{id}', {
          params: { path: { id: team.id }, header: { 'If-Match': `"${team.version}"` } },
          body: { name: name.trim() },
        }),
      ),
    onSuccess: (saved) => {
      changed(queryClient);
      onDone(`The team is now called ${saved.name}.`);
    },
  });
  return (
    <form
      className="filters-inline"
      aria-label={`Rename ${team.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === team.name) onDone('');
        else rename.mutate();
      }}
    >
      <Field
        id={`team-${team.id}-name`}
        label="Team name"
        error={
          isStale(rename.error)
            ? 'Someone else changed this team first. Cancel to see their change.'
            : errorsFor(rename.error)('name')
        }
      >
        <input
          type="text"
          value={name}
          autoComplete="off"
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
      </Field>
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
          Save name
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            changed(queryClient);
            onDone('');
          }}
        >
          Cancel
        </button>
      </div>
      {rename.isError && !isStale(rename.error) && !errorsFor(rename.error)('name') && (
        <p className="field-error" role="alert">
          {describeError(rename.error)}
        </p>
      )}
    </form>
  );
}

/** Who is in a team: every active member of the directory, ticked when in it. */
function TeamMembersForm({ team, onDone }: { team: Team; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const everyone = useQuery({
    queryKey: [...MEMBERS_KEY, 'picker'],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/team', { params: { query: { limit: 200, active: 'true' } }, signal })),
  });
  const current = useQuery({
    queryKey: [...MEMBERS_KEY, 'of-team', team.id],
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/team', { params: { query: { limit: 200, team_id: team.id } }, signal })),
  });
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const picked = chosen ?? new Set((current.data?.data ?? []).map((m) => m.id));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/crm/team/teams/{id}/members', {
          params: { path: { id: team.id }, header: { 'If-Match': `"${team.version}"` } },
          body: { member_ids: [...picked] },
        }),
      ),
    onSuccess: (saved) => {
      changed(queryClient);
      onDone(`${saved.name} has ${saved.member_count} members.`);
    },
  });
  // Members of the team who are deactivated stay in it unless unticked; list them too.
  const people = [
    ...(everyone.data?.data ?? []),
    ...(current.data?.data ?? []).filter(
      (m) => !(everyone.data?.data ?? []).some((e) => e.id === m.id),
    ),
  ];
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={`Members of ${team.name}`} noValidate>
      <h3>Members of {team.name}</h3>
      {everyone.isPending || current.isPending ? (
        <Loading label="Loading the directory…" />
      ) : everyone.isError || current.isError ? (
        <ErrorMessage
          title="The directory could not be loaded"
          error={everyone.error ?? current.error}
        />
      ) : (
        <fieldset className="member-picker">
          <legend className="visually-hidden">Members of {team.name}</legend>
          {people.map((m) => (
            <div className="checkbox" key={m.id}>
              <input
                id={`team-${team.id}-member-${m.id}`}
                type="checkbox"
                checked={picked.has(m.id)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(m.id);
                  else next.delete(m.id);
                  setChosen(next);
                }}
              />
              <label htmlFor={`team-${team.id}-member-${m.id}`}>
                {m.name}
                {!m.active && ' (deactivated)'}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {save.isError && (
        <p className="field-error" role="alert">
          {isStale(save.error)
            ? 'Someone else changed this team first. Cancel to see their change.'
            : describeError(save.error)}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={save.isPending || everyone.isPending || current.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save members'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            changed(queryClient);
            onDone('');
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The tenant's teams: add, rename, choose members, delete (admins). */
export function TeamsSection() {
  const queryClient = useQueryClient();
  const format = useFormat();
  const teams = useTeams();
  const [open, setOpen] = useState<{ id: string; what: 'rename' | 'members' } | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const remove = useMutation({
    mutationFn: (team: Team) =>
      unwrap(
        api.DELETE('/crm/team/teams/{id}', {
          params: { path: { id: team.id }, header: { 'If-Match': `"${team.version}"` } },
        }),
      ),
    onSuccess: (_nothing, team) => {
      setDeleting(null);
      setAnnouncement(`${team.name} was deleted.`);
      changed(queryClient);
    },
  });
  const done = (message: string) => {
    setOpen(null);
    setAnnouncement(message);
  };
  return (
    <section className="card teams-card" aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <AddTeamForm
        onAdded={(team) => {
          setAnnouncement(`${team.name} was added.`);
        }}
      />
      {teams.isPending ? (
        <Loading label="Loading the teams…" />
      ) : teams.isError ? (
        <ErrorMessage
          title="The teams could not be loaded"
          error={teams.error}
          onRetry={() => void teams.refetch()}
        />
      ) : teams.data.length === 0 ? (
        <Empty title="No teams yet">
          <p>Managers see the customers of the teams they are in.</p>
        </Empty>
      ) : (
        <ul className="plain-list" aria-label="Teams">
          {teams.data.map((team) => (
            <li key={team.id} className="stage-row">
              {open?.id === team.id && open.what === 'rename' ? (
                <RenameTeamForm team={team} onDone={done} />
              ) : (
                <>
                  <span className="field-item-body">
                    <strong>{team.name}</strong>{' '}
                    <span className="muted">
                      {format.number(team.member_count)}{' '}
                      {team.member_count === 1 ? 'member' : 'members'}
                    </span>
                  </span>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        setOpen({ id: team.id, what: 'rename' });
                      }}
                    >
                      <Pencil aria-hidden="true" size={14} /> Rename
                      <span className="visually-hidden"> {team.name}</span>
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-expanded={open?.id === team.id && open.what === 'members'}
                      onClick={() => {
                        setOpen(
                          open?.id === team.id && open.what === 'members'
                            ? null
                            : { id: team.id, what: 'members' },
                        );
                      }}
                    >
                      <Users aria-hidden="true" size={14} /> Members
                      <span className="visually-hidden"> of {team.name}</span>
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        remove.reset();
                        setDeleting(team);
                      }}
                    >
                      <Trash2 aria-hidden="true" size={14} /> Delete
                      <span className="visually-hidden"> {team.name}</span>
                    </button>
                  </span>
                </>
              )}
              {open?.id === team.id && open.what === 'members' && (
                <div className="team-members">
                  <TeamMembersForm team={team} onDone={done} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the team “${deleting.name}”?`}
          confirmLabel="Delete team"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => {
            remove.mutate(deleting);
          }}
          onCancel={() => {
            setDeleting(null);
          }}
        >
          <p>
            Its members leave it; customers of the team keep it as their team until they are moved.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
