import type { RequestHandler } from 'express';
import { admitMember } from '../domain/team/admit-member.js';
import type { TeamDeps } from '../domain/team/team-deps.js';

/** After authentication: registers the staff member and refuses a deactivated one. */
export function admission(deps: TeamDeps): RequestHandler {
  return (req, _res, next) => {
    if (req.principal === undefined) {
      next();
      return;
    }
    admitMember(deps, req.principal).then(() => {
      next();
    }, next);
  };
}
