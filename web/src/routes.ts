import type { RouteDef } from './lib/router.svelte.js'

// Every page is its own lazy chunk: the first download holds the frame only, a page comes
// with the first visit to it (code pages share lands in shared chunks, see npm run bench:web).
const AuditLog = () => import('./pages/AuditLog.svelte')
const AuditPage = () => import('./pages/audits/AuditPage.svelte')
const Audits = () => import('./pages/audits/Audits.svelte')
const AwarenessCampaign = () => import('./pages/awareness/Campaign.svelte')
const AwarenessCampaigns = () => import('./pages/awareness/Campaigns.svelte')
const AwarenessNew = () => import('./pages/awareness/NewCampaign.svelte')
const AwarenessLines = () => import('./pages/awareness/ReportingLines.svelte')
const Account = () => import('./pages/account/Account.svelte')
const ForgotPassword = () => import('./pages/account/ForgotPassword.svelte')
const InvitationPage = () => import('./pages/account/Invitation.svelte')
const ResetPassword = () => import('./pages/account/ResetPassword.svelte')
const AssessmentDetail = () => import('./pages/assessments/AssessmentDetail.svelte')
const AssessmentDiff = () => import('./pages/assessments/AssessmentDiff.svelte')
const Assessments = () => import('./pages/assessments/Assessments.svelte')
const AssessmentTask = () => import('./pages/assessments/AssessmentTask.svelte')
const ManagementDuties = () => import('./pages/assessments/ManagementDuties.svelte')
const QuickCheck = () => import('./pages/assessments/QuickCheck.svelte')
const Calendar = () => import('./pages/calendar/Calendar.svelte')
const ContextPage = () => import('./pages/context/Context.svelte')
const ContextIssue = () => import('./pages/context/IssuePage.svelte')
const ContextParty = () => import('./pages/context/PartyPage.svelte')
const CertControl = () => import('./pages/certification/Control.svelte')
const CertEvidenceIndex = () => import('./pages/certification/EvidenceIndex.svelte')
const CertProject = () => import('./pages/certification/Project.svelte')
const CertProjects = () => import('./pages/certification/Projects.svelte')
const CertSoa = () => import('./pages/certification/Soa.svelte')
const Home = () => import('./pages/home/Home.svelte')
const Inbox = () => import('./pages/Inbox.svelte')
const IncidentPage = () => import('./pages/incidents/IncidentPage.svelte')
const IncidentRegister = () => import('./pages/incidents/IncidentRegister.svelte')
const ReportIncident = () => import('./pages/incidents/ReportIncident.svelte')
const Notifications = () => import('./pages/Notifications.svelte')
const Organisation = () => import('./pages/Organisation.svelte')
const MailLog = () => import('./pages/people/Mail.svelte')
const People = () => import('./pages/people/People.svelte')
const ReviewEntry = () => import('./pages/reviews/EntryPage.svelte')
const ManagementPackage = () => import('./pages/reviews/ManagementPackage.svelte')
const ReviewPage = () => import('./pages/reviews/ReviewPage.svelte')
const Reviews = () => import('./pages/reviews/Reviews.svelte')
const PlanForm = () => import('./pages/risks/PlanForm.svelte')
const RiskDetail = () => import('./pages/risks/RiskDetail.svelte')
const RiskForm = () => import('./pages/risks/RiskForm.svelte')
const RiskRegister = () => import('./pages/risks/RiskRegister.svelte')
const RiskSettings = () => import('./pages/risks/RiskSettings.svelte')
const Search = () => import('./pages/Search.svelte')
const TaskPage = () => import('./pages/tasks/TaskPage.svelte')
const WorkflowList = () => import('./pages/workflows/WorkflowList.svelte')
const WorkflowPage = () => import('./pages/workflows/WorkflowPage.svelte')

/**
 * Every page of the app, in menu order. Add a page: write `pages/<Name>.svelte` (it reads
 * its route's params with `routeParams()`, lib/route-params.ts), add its messages, and add one
 * entry here with a lazy `import()`.
 */
export const routes: RouteDef[] = [
  { path: '/home', page: Home, title: 'home.title', nav: 'home.nav' },
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
    path: '/management-duties',
    page: ManagementDuties,
    title: 'obligations.duties.title',
    roles: ['iso', 'management', 'auditor'],
  },
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
  { path: '/audits', page: Audits, title: 'audits.title', nav: 'audits.nav' },
  { path: '/audits/:id', page: AuditPage, title: 'audits.title', roles: ['iso', 'management', 'auditor'] },
  { path: '/incidents', page: IncidentRegister, title: 'incidents.register.title', nav: 'incidents.nav' },
  {
    path: '/incidents/new',
    page: ReportIncident,
    title: 'incidents.new.title',
    roles: ['iso', 'management', 'member'],
  },
  { path: '/incidents/:id', page: IncidentPage, title: 'incidents.detail.title' },
  {
    path: '/awareness',
    page: AwarenessCampaigns,
    title: 'awareness.register.title',
    nav: 'awareness.nav',
    roles: ['iso', 'management', 'auditor'],
  },
  { path: '/awareness/new', page: AwarenessNew, title: 'awareness.new.title', roles: ['iso'] },
  {
    path: '/awareness/reporting-lines',
    page: AwarenessLines,
    title: 'awareness.lines.title',
    roles: ['iso'],
  },
  { path: '/awareness/:id', page: AwarenessCampaign, title: 'awareness.detail.title' },
  { path: '/context', page: ContextPage, title: 'context.title', nav: 'context.nav' },
  { path: '/context/parties/new', page: ContextParty, title: 'context.party.newTitle', roles: ['iso'] },
  { path: '/context/parties/:id', page: ContextParty, title: 'context.party.editTitle' },
  { path: '/context/issues/new', page: ContextIssue, title: 'context.issue.newTitle', roles: ['iso'] },
  { path: '/context/issues/:id', page: ContextIssue, title: 'context.issue.editTitle', roles: ['iso'] },
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
