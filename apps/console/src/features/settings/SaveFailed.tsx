import { describeError } from '../../api/problem';
import { isStale } from './form-errors';

/** Why a save of a settings row failed: someone else's change first (412), or the API's words. */
export function SaveFailed({ error, what }: { error: unknown; what: string }) {
  const stale = isStale(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        {stale
          ? `Someone else changed this ${what} first. Cancel to see their change.`
          : `The ${what} was not saved`}
      </p>
      {!stale && <p>{describeError(error)}</p>}
    </div>
  );
}
