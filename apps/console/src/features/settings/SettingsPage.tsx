import {
  Activity,
  Globe,
  ListOrdered,
  SlidersHorizontal,
  Tags,
  UsersRound,
  type LucideIcon,
} from 'lucide-react';
import type { ReactElement } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import type { OperationId } from '../../api/generated/operation-roles';
import { useSession } from '../../auth/session';
import { Empty } from '../../ui/feedback';
import { CustomFieldsPage } from '../custom-fields/CustomFieldsPage';
import { GeneralSettingsPage } from './GeneralSettingsPage';
import { StagesPage } from './StagesPage';
import { TagsPage } from './TagsPage';
import { TeamPage } from './TeamPage';
import { TrackingPage } from './TrackingPage';
import './settings.css';

interface Section {
  path: string;
  label: string;
  /** The read the page starts with: a role that may not call it does not see the page. */
  operation: OperationId;
  icon: LucideIcon;
  page: () => ReactElement;
}

const SECTIONS: Section[] = [
  {
    path: 'general',
    label: 'Locale and currency',
    operation: 'getTenantSettings',
    icon: Globe,
    page: GeneralSettingsPage,
  },
  {
    path: 'custom-fields',
    label: 'Custom fields',
    operation: 'listCustomFields',
    icon: SlidersHorizontal,
    page: CustomFieldsPage,
  },
  {
    path: 'stages',
    label: 'Lifecycle stages',
    operation: 'getLifecycleStages',
    icon: ListOrdered,
    page: StagesPage,
  },
  { path: 'tags', label: 'Tags', operation: 'listTags', icon: Tags, page: TagsPage },
  {
    path: 'tracking',
    label: 'Tracking',
    operation: 'getTrackingSettings',
    icon: Activity,
    page: TrackingPage,
  },
  { path: 'team', label: 'Team', operation: 'listTeamMembers', icon: UsersRound, page: TeamPage },
];

/** Whether the role sees any settings page, for the main navigation. */
export function seesSettings(can: (operation: OperationId) => boolean): boolean {
  return SECTIONS.some((s) => can(s.operation));
}

/** The tenant's settings, one page per section, each for the roles that may read it. */
export function SettingsPage() {
  const { can } = useSession();
  const visible = SECTIONS.filter((s) => can(s.operation));
  const first = visible[0];
  return (
    <div className="page settings">
      <nav aria-label="Settings" className="settings-nav">
        <p className="settings-nav-title" aria-hidden="true">
          Settings
        </p>
        <ul>
          {visible.map(({ path, label, icon: Icon }) => (
            <li key={path}>
              <NavLink to={`/settings/${path}`}>
                <Icon aria-hidden="true" size={16} /> {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-content">
        <Routes>
          <Route
            index
            element={
              first ? (
                <Navigate to={first.path} replace />
              ) : (
                <Empty title="There are no settings for your role" />
              )
            }
          />
          {SECTIONS.map(({ path, operation, page: Page }) => (
            <Route
              key={path}
              path={path}
              element={
                can(operation) ? (
                  <Page />
                ) : (
                  <Empty title="Your role cannot open this page">
                    <p>Ask an admin if you need it.</p>
                  </Empty>
                )
              }
            />
          ))}
          <Route path="*" element={<Empty title="There is no such setting" />} />
        </Routes>
      </div>
    </div>
  );
}
