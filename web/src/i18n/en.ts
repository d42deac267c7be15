/* English. Typed against zh-CN so that no key is missing. */
import type zhCN from './zh-CN';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

const en: Shape<typeof zhCN> = {
  app: { name: 'Gov Cloud Service Management Platform', short: 'Gov Cloud Console' },
  nav: {
    main: 'Main navigation', breadcrumb: 'You are here', home: 'Home', org: 'Institutions & people', institutions: 'Institutions', myInstitution: 'My institution',
    qualifications: 'Qualifications', people: 'People', posts: 'Posts', audit: 'Audit log',
  },
  header: { language: 'Change language', userMenu: 'Personal menu', changePassword: 'Change password', logout: 'Log out', loggedOut: 'You have logged out' },
  common: {
    actions: 'Actions', all: 'All', cancel: 'Cancel', confirm: 'Please confirm', delete: 'Delete', deleted: 'Deleted', edit: 'Edit', view: 'View',
    loading: 'Loading…', more: 'View all', no: 'No', yes: 'Yes', ok: 'OK', reset: 'Reset', retry: 'Retry', save: 'Save', search: 'Search',
    createdAt: 'Created', updatedAt: 'Updated',
  },
  list: {
    empty: 'No data', unavailable: 'Data unavailable', loadFailed: 'Could not load the data', total: '{n} in total', page: 'Page {n} of {m}', pageOnly: 'Page {n}',
    prev: 'Previous', next: 'Next', pageSize: 'Rows per page', perPage: '{n} / page', pager: 'Pagination',
  },
  form: {
    required: 'This field is required', choose: 'Select', chooseDate: 'Pick a date', email: 'Enter a valid e-mail address', maxLength: 'At most {n} characters',
    noChanges: 'There are no changes to save',
  },
  login: {
    title: 'Log in', heading: 'Log in', subtitle: 'Use the account your institution gave you to log in to the platform', login: 'Login', password: 'Password', submit: 'Log in',
    loginRequired: 'Enter your login', passwordRequired: 'Enter your password',
    expired: 'Your session has expired or was ended elsewhere. Please log in again; you will return to the page you were on.',
    newTab: 'For your security each browser tab needs its own login. Please log in again to continue.',
    wrong: 'The login or password is wrong. Please check and try again.',
    slowDown: 'Too many failed attempts in a row. To protect the account, please wait {seconds} seconds before trying again.',
    locked: 'After too many failed attempts this account is locked for now. Try again in about {minutes} minutes, or ask your institution\'s administrator.',
    nowLocked: 'The login or password is wrong. This was one failure too many: the account is now locked for 15 minutes.',
    disabled: 'This account has been disabled. Please contact your institution\'s administrator.',
    institutionInactive: 'Your institution is suspended or revoked, so you cannot log in at present.',
    failedUnknown: 'Login failed. Please try again later.',
    failedWith: 'Login failed: {detail}',
    waitLeft: '{seconds} seconds left.',
    waitButton: 'Wait {seconds} s',
    policy: 'Security policy: after 3 wrong attempts in a row, the wait before each new attempt doubles every time; after 10, the account is locked for 15 minutes.',
    footer: 'Built to GB/T 34077.5 and GB/T 34077.4 · For authorised personnel only',
  },
  error: {
    forbiddenTitle: 'No access', forbiddenBody: 'Your institution kind or post does not give access to this page. Ask your institution\'s administrator if you need it.',
    notFoundTitle: 'Page not found', notFoundBody: 'The page you asked for does not exist or has moved.', backHome: 'Back to home', requested: 'Requested address: {path}',
  },
  problem: {
    network: 'The server cannot be reached. Check the network and try again.', unexpected: 'The action could not be completed. Please try again later.',
    forbidden: 'You are not allowed to do this.', notFound: 'The record does not exist or is outside your jurisdiction.', stale: 'Someone else has changed this record.',
    invalid: 'Some entries are not valid; check the marked fields.', conflict: 'This conflicts with the current state of the data.',
    conflictWith: 'This conflicts with the current state of the data: {detail}', tooMany: 'Too many requests; please try again shortly.',
    server: 'The server ran into an error. Please try again later (request {id}).',
    rule: {
      required: 'This field is required', length: 'Wrong length', max_length: 'Too long', min_length: 'Too short', pattern: 'Wrong format',
      email: 'Enter a valid e-mail address', phone: 'Enter a valid phone number (5 to 32 characters)', unique: 'This value is already in use', exists: 'The referenced record does not exist',
      region_code: 'Enter a six-digit division code (GB/T 2260)', timezone: 'Enter a valid time zone such as Asia/Shanghai', enum: 'Not an allowed value',
      type: 'Wrong type', id: 'Not a valid id', not_future: 'The date cannot be in the future', after_valid_from: 'The end date cannot be before the start date',
      mismatch: 'The current password is wrong', not_login: 'The password must differ from the login', admin_only: 'Only an administrator can set this', self: 'You cannot do this to yourself',
      not_self: 'An institution cannot relate to itself', cycle: 'An institution cannot move below its own subordinate', root: 'The root institution has no parent', immutable: 'This cannot change after creation',
      level_order: 'The level must be below the parent\'s', parent_kind: 'The parent must be a management institution', team_of_kind: 'This institution kind cannot have this team',
      certificate_required: 'A chosen post requires a certificate this person does not hold', not_held: 'You can grant only permissions you hold', time: 'Wrong time format',
      control_characters: 'Control characters are not allowed', utf8: 'Contains invalid characters', check: 'Wrong check character',
    },
    field: {
      uscc: {
        length: 'A unified social credit code has exactly 18 characters', charset: 'Only digits and the letters A-Y without I, O, S, V are allowed (GB 32100)',
        org_check: 'The organisation-code check character (position 17, GB 11714) is wrong', check: 'The check character (position 18, GB 32100) is wrong',
        unique: 'This credit code is already registered',
      },
      login: { unique: 'This login is taken' },
      number: { unique: 'A certificate of this kind with this number exists' },
      certificate_no: { unique: 'This qualification number is already recorded' },
      name: { unique: 'The institution already has a post with this name' },
      password: { length: 'A password has 10 to 128 characters' },
      new_password: { length: 'A password has 10 to 128 characters' },
    },
  },
  stale: {
    title: 'Changed by someone else', body: 'While you were editing, someone else changed and saved this record. Your save was not applied, so that their change is not overwritten. Reload the current version and make your change again.',
    reload: 'Reload the current version', keep: 'Not now',
  },
  kind: { management: 'Management', provider: 'Provider', evaluator: 'Evaluator', user: 'User agency' },
  kindShort: { management: 'M', provider: 'P', evaluator: 'E', user: 'U' },
  level: { central: 'Central', provincial: 'Provincial', municipal: 'Municipal', county: 'County' },
  status: { active: 'Active', suspended: 'Suspended', revoked: 'Revoked' },
  team: { administrative: 'Administrative team', technical: 'Technical team' },
  perm: {
    institution_read: 'Read institutions', institution_write: 'Register and change institutions', qualification_write: 'Manage qualifications', relation_write: 'Declare interest relations',
    post_write: 'Define posts', person_read: 'Read people', person_write: 'Manage people', certificate_write: 'Manage certificates',
    audit_read: 'Read the audit log', audit_verify: 'Verify the audit chain',
  },
  qualKind: {
    security_service: 'Cybersecurity service', cloud_security_assessment: 'Cloud service security assessment', classified_protection: 'Classified protection assessment',
    system_integration: 'System integration', itss: 'IT service standard (ITSS)', testing_lab: 'Accredited testing laboratory', supervision: 'IT project supervision',
    secrecy: 'Classified system integration', other: 'Other',
  },
  relKind: { equity: 'Equity', control: 'Control', subsidiary: 'Subsidiary', personnel: 'Personnel', contract: 'Contract', other: 'Other' },
  home: {
    welcome: 'Welcome, {name}', institutionsTotal: 'Institutions in jurisdiction', peopleTotal: 'People', peopleEnabled: 'Active accounts', postsTotal: 'Posts',
    qualsTotal: 'Qualifications', certsExpiring: 'Certificates expiring in 90 days', qualsExpiring: 'Qualifications expiring in 90 days', byKind: 'Institutions by kind',
    byLevel: 'Institutions by level', byTeam: 'People by team', institutions: 'Institutions', expiringTitle: 'Certificates and qualifications expiring in the next 90 days (by month)',
    certificates: 'Certificates', qualifications: 'Qualifications', soonestCerts: 'Certificates expiring soon', nothingExpiring: 'No certificate expires in the next 90 days',
    auditActivity: 'Recent audit activity (by day)', auditRecords: 'Audit records', latestAudit: 'Latest audit records', myInstitution: 'My institution',
  },
  inst: {
    create: 'Register institution', createTitle: 'Register an institution', editTitle: 'Edit institution', editTitleOf: 'Edit institution: {name}', detailTitle: 'Institution',
    created: 'The institution is registered', saved: 'The institution is saved', tree: 'Jurisdiction', treeFilter: 'Filter the tree', search: 'Keyword', searchHint: 'Name or credit code',
    within: 'Within: {name} and below', empty: 'No institution matches', name: 'Name', uscc: 'Unified social credit code', kind: 'Kind', level: 'Level',
    parent: 'Parent management institution', region: 'Division code', status: 'Status', timezone: 'Time zone', contactName: 'Contact', contactPhone: 'Contact phone',
    contactEmail: 'Contact e-mail', address: 'Address', sectionBasic: 'Basic information', sectionContact: 'Contact', usccHint: '18-character credit code',
    usccShape: 'A credit code has 18 digits or capital letters', regionHint: 'six digits, e.g. 520100', regionShape: 'A division code has six digits',
    usccException: 'Code exception', usccExceptionSwitch: 'The check character fails but the code must be registered (give the reason)', usccExceptionReason: 'Justification',
    usccExceptionTag: 'Registered by exception', tabInfo: 'Details', deleteConfirm: 'Delete the institution "{name}"? Only an institution that holds nothing can be deleted.',
  },
  qual: {
    title: 'Qualifications', titleOf: 'Qualifications of {name}', add: 'Record qualification', added: 'The qualification is recorded', empty: 'No qualification recorded', kind: 'Kind', grade: 'Grade',
    certificateNo: 'Certificate number', issuer: 'Issued by', validFrom: 'Valid from', validTo: 'Valid until', removeConfirm: 'Remove the qualification numbered {no}?',
    readOnly: 'Qualifications are recorded by the management institution; ask it to record any change.',
  },
  rel: {
    title: 'Interest relations', add: 'Declare a relation', added: 'The relation is declared', empty: 'No interest relation declared', related: 'Related institution', relatedUscc: 'Related credit code',
    kind: 'Kind', since: 'Since', note: 'Note', withdraw: 'Withdraw', withdrawn: 'Withdrawn', removeConfirm: 'Withdraw the declared relation with "{name}"?',
  },
  post: {
    title: 'Posts', titleOf: 'Posts of {name}', add: 'Define a post', edit: 'Edit post', added: 'The post is defined', saved: 'The post is saved', empty: 'No post defined',
    name: 'Post', duties: 'Duties', requiredCertificate: 'Certificate required', requiredCertificateHint: 'certificate kind a holder must have, e.g. cisp',
    noCertificate: 'None', grants: 'Grants', holders: 'Holders', removeConfirm: 'Delete the post "{name}"?',
  },
  person: {
    create: 'Add person', createTitle: 'Add a person', editTitle: 'Edit person', editTitleOf: 'Edit person: {name}', detailTitle: 'Person', created: 'The person is added',
    saved: 'The person is saved', empty: 'No person matches', search: 'Keyword', searchHint: 'Name or login', name: 'Name', login: 'Login', institution: 'Institution',
    team: 'Team', email: 'E-mail', phone: 'Phone', state: 'State', enabled: 'Enabled', disabled: 'Disabled', enable: 'Enable', disable: 'Disable',
    admin: 'Administrator', posts: 'Posts', postsHint: 'Choose the posts this person holds', noPosts: 'Holds no post', initialPassword: 'Initial password',
    passwordHint: 'leave empty to have one generated', loginHint: 'lower-case letters, digits, dot, underscore or hyphen', loginShape: 'A login has only lower-case letters, digits and . _ -',
    resetPassword: 'Reset password', disableConfirm: 'Once disabled, "{name}" cannot log in and their open sessions end at once. Disable?',
    enabledDone: '{name} is enabled', disabledDone: '{name} is disabled', lockedUntil: 'Login locked until {at}', postNeeds: '{name} (requires {cert})',
    generatedPassword: 'The initial password of {login} is: {password}. It is shown only this once: pass it on by a secure channel and ask the person to change it after logging in.',
  },
  cert: {
    title: 'Certificates', add: 'Record certificate', added: 'The certificate is recorded', empty: 'No certificate', kind: 'Kind', kindHint: 'e.g. cisp, itss-engineer', number: 'Number',
    issuer: 'Issued by', validTo: 'Valid until', daysLeft: 'Remaining', expired: 'Expired', inDays: 'in {n} days', removeConfirm: 'Remove the certificate numbered {no}?',
  },
  password: {
    changeTitle: 'Change password', resetTitle: 'Reset the password of {name}', current: 'Current password', new: 'New password', confirm: 'Repeat new password',
    length: 'A password has 10 to 128 characters', mismatch: 'The two passwords differ', done: 'The password is changed',
  },
  audit: {
    verify: 'Verify chain', verifyOk: 'The audit chain is intact: {n} records verified, no tampering found.', verifyBad: 'The audit chain is broken from record {seq} on ({n} records).',
    actor: 'Actor', actorHint: 'Type a name or login', objectType: 'Object type', objectId: 'Object id', action: 'Action', period: 'Period', from: 'From', to: 'To',
    empty: 'No audit record matches', changes: 'Changes', noChanges: 'No field changed', field: 'Field', before: 'Before', after: 'After', hash: 'Hash',
    requestId: 'Request', seq: 'No.', at: 'Time', clientIp: 'Client address',
    actions: {
      institution_create: 'Institution registered', institution_update: 'Institution changed', institution_delete: 'Institution deleted', person_create: 'Person added',
      person_enable: 'Person enabled', person_disable: 'Person disabled', access_denied: 'Access denied', person_update: 'Person changed', person_password: 'Password changed', post_create: 'Post defined', post_update: 'Post changed', post_delete: 'Post deleted',
      qualification_create: 'Qualification recorded', qualification_delete: 'Qualification removed', relation_create: 'Relation declared', relation_delete: 'Relation withdrawn',
      certificate_create: 'Certificate recorded', certificate_delete: 'Certificate removed', login: 'Login', login_failed: 'Failed login', login_locked: 'Login while locked',
      login_refused: 'Login refused', logout: 'Logout',
    },
    objects: {
      institution: 'Institution', person: 'Person', post: 'Post', qualification: 'Qualification', interest_relation: 'Interest relation', certificate: 'Certificate', session: 'Session', route: 'Route',
    },
  },
};

export default en;
