import type { RouteDef } from './lib/router.svelte.js'
import AuditLog from './pages/AuditLog.svelte'
import Account from './pages/account/Account.svelte'
import ForgotPassword from './pages/account/ForgotPassword.svelte'
import InvitationPage from './pages/account/Invitation.svelte'
import ResetPassword from './pages/account/ResetPassword.svelte'
import AssessmentDetail from './pages/assessments/AssessmentDetail.svelte'
import AssessmentDiff from './pages/assessments/AssessmentDiff.svelte'
import Assessments from './pages/assessments/Assessments.svelte'
import AssessmentTask from './pages/assessments/AssessmentTask.svelte'
import QuickCheck from './pages/assessments/QuickCheck.svelte'
import Calendar from './pages/calendar/Calendar.svelte'
import CertControl from './pages/certification/Control.svelte'
import CertEvidenceIndex from './pages/certification/EvidenceIndex.svelte'
import CertProject from './pages/certification/Project.svelte'
import CertProjects from './pages/certification/Projects.svelte'
import CertSoa from './pages/certification/Soa.svelte'
import Inbox from './pages/Inbox.svelte'
import IncidentPage from './pages/incidents/IncidentPage.svelte'
import IncidentRegister from './pages/incidents/IncidentRegister.svelte'
import ReportIncident from './pages/incidents/ReportIncident.svelte'
import Notifications from './pages/Notifications.svelte'
import Organisation from './pages/Organisation.svelte'
import MailLog from './pages/people/Mail.svelte'
import People from './pages/people/People.svelte'
import ReviewEntry from './pages/reviews/EntryPage.svelte'
import ManagementPackage from './pages/reviews/ManagementPackage.svelte'
import ReviewPage from './pages/reviews/ReviewPage.svelte'
import Reviews from './pages/reviews/Reviews.svelte'
import PlanForm from './pages/risks/PlanForm.svelte'
import RiskDetail from './pages/risks/RiskDetail.svelte'
import RiskForm from './pages/risks/RiskForm.svelte'
import RiskRegister from './pages/risks/RiskRegister.svelte'
import RiskSettings from './pages/risks/RiskSettings.svelte'
import Search from './pages/Search.svelte'
import TaskPage from './pages/tasks/TaskPage.svelte'
import WorkflowList from './pages/workflows/WorkflowList.svelte'
import WorkflowPage from './pages/workflows/WorkflowPage.svelte'

/**
 * Every page of the app, in menu order. Add a page: write `pages/<Name>.svelte` (it
 * receives `params`), add its messages, and add one entry here.
 */
export const routes: RouteDef[] = [
  { path: '/', page: Inbox, title: 'areas.inbox.title', nav: 'shell.nav.inbox' },
  { path: '/tasks/:id', page: TaskPage, title: 'tasks.task.title' },
  { path: '/assessments', page: Assessments, title: 'areas.assessments.title', nav: 'shell.nav.assessments' },
  { path: '/assessments/diff', page: AssessmentDiff, title: 'obligations.diff.title' },
  { path: '/assessments/task/:taskId', page: AssessmentTask, title: 'obligations.task.title' },
  { path: '/assessments/:id', page: AssessmentDetail, title: 'obligations.detail.title' },
  { path: '/quick-check', page: QuickCheck, title: 'obligations.quick.title', public: true },
  { path: '/risks', page: RiskRegister, title: 'areas.risks.title', nav: 'shell.nav.risks' },
  { path: '/risks/new', page: RiskForm, title: 'risks.form.newTitle', roles: ['iso'] },
  { path: '/risks/settings', page: RiskSettings, title: 'risks.settings.title' },
  { path: '/risks/:id', page: RiskDetail, title: 'risks.detail.title' },
  { path: '/risks/:id/edit', page: RiskForm, title: 'risks.form.editTitle', roles: ['iso'] },
  { path: '/risks/:id/plan', page: PlanForm, title: 'risks.plan.title', roles: ['iso'] },
  { path: '/search', page: Search, title: 'search.title' },
  {
    path: '/certification',
    page: CertProjects,
    title: 'areas.certification.title',
    nav: 'shell.nav.certification',
  },
  { path: '/certification/:id', page: CertProject, title: 'certification.list.title' },
  { path: '/certification/:id/soa', page: CertSoa, title: 'certification.soa.title' },
  { path: '/certification/:id/soa/:controlId', page: CertControl, title: 'certification.soa.title' },
  {
    path: '/certification/:id/evidence-index',
    page: CertEvidenceIndex,
    title: 'certification.index.title',
    roles: ['iso', 'management', 'auditor'],
  },
  { path: '/reviews', page: Reviews, title: 'areas.reviews.title', nav: 'shell.nav.reviews' },
  {
    path: '/reviews/management-package',
    page: ManagementPackage,
    title: 'reviews.package.title',
    roles: ['iso', 'management', 'auditor'],
  },
  { path: '/reviews/programme/:id', page: ReviewEntry, title: 'reviews.entry.pageTitle' },
  { path: '/reviews/:id', page: ReviewPage, title: 'reviews.cycle.pageTitle' },
  { path: '/incidents', page: IncidentRegister, title: 'incidents.register.title', nav: 'incidents.nav' },
  {
    path: '/incidents/new',
    page: ReportIncident,
    title: 'incidents.new.title',
    roles: ['iso', 'management', 'member'],
  },
  { path: '/incidents/:id', page: IncidentPage, title: 'incidents.detail.title' },
  { path: '/calendar', page: Calendar, title: 'calendar.title', nav: 'calendar.nav' },
  { path: '/workflows', page: WorkflowList, title: 'areas.workflows.title', nav: 'shell.nav.workflows' },
  { path: '/workflows/:id', page: WorkflowPage, title: 'workflows.page.caption' },
  {
    path: '/notifications',
    page: Notifications,
    title: 'tasks.notifications.title',
    nav: 'tasks.notifications.nav',
    roles: ['iso'],
  },
  {
    path: '/audit',
    page: AuditLog,
    title: 'audit.title',
    nav: 'shell.nav.audit',
    roles: ['iso', 'auditor', 'management'],
  },
  {
    path: '/organisation',
    page: Organisation,
    title: 'areas.organisation.title',
    nav: 'shell.nav.organisation',
  },
  { path: '/people', page: People, title: 'people.people.title', nav: 'people.people.nav', roles: ['iso'] },
  { path: '/mail', page: MailLog, title: 'people.mail.title', nav: 'people.mail.nav', roles: ['iso'] },
  { path: '/account', page: Account, title: 'people.account.title' },
  { path: '/invitations/:token', page: InvitationPage, title: 'people.invitation.title', public: true },
  { path: '/forgot-password', page: ForgotPassword, title: 'people.forgot.title', public: true },
  { path: '/reset-password/:token', page: ResetPassword, title: 'people.reset.title', public: true },
]
