/**
 * The navigation's sections. Only the inbox has a screen so far; the others lead to placeholders
 * until their screens land. `adminOnly` ones are hidden from agents and guarded by route.
 */
export const sections = [
  { path: 'inbox', label: 'Inbox', adminOnly: false },
  { path: 'contacts', label: 'Contacts', adminOnly: false },
  { path: 'calls', label: 'Calls', adminOnly: false },
  { path: 'queues', label: 'Queues', adminOnly: true },
  { path: 'campaigns', label: 'Campaigns', adminOnly: true },
  { path: 'reports', label: 'Reports', adminOnly: true },
  { path: 'settings', label: 'Settings', adminOnly: true },
] as const;
