/** The native API's shapes the app reads (see /api/docs); only the fields the screens use. */

export type Role = 'administrator' | 'agent';

export interface Membership {
  accountId: number;
  accountName?: string;
  role: Role;
}

export interface User {
  id: number;
  name: string;
  displayName: string | null;
  email: string;
  avatarUrl?: string | null;
}

export interface Me {
  user: User | null;
  memberships: Membership[];
}

export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'snoozed';
export type Priority = 'urgent' | 'high' | 'medium' | 'low';
export type Tab = 'mine' | 'unassigned' | 'all';

export interface ContactSummary {
  id: number;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
  avatarUrl: string | null;
}

export interface Conversation {
  id: number;
  displayId: number;
  inboxId: number;
  inbox: { id: number; name: string; channelType: string };
  contact: ContactSummary;
  status: ConversationStatus;
  priority: Priority | null;
  assignee: { id: number; name: string; avatarUrl: string | null } | null;
  team: { id: number; name: string } | null;
  labels: string[];
  unreadCount: number;
  lastActivityAt: string;
  createdAt: string;
  snoozedUntil: string | null;
  lastMessage: {
    id: number;
    content: string | null;
    messageType: string;
    private: boolean;
    createdAt: string;
  } | null;
}

export interface TabCounts {
  mine: number;
  unassigned: number;
  all: number;
}

export interface ConversationPage {
  data: Conversation[];
  nextCursor: string | null;
  counts: TabCounts;
}

export interface Attachment {
  id: number;
  fileType: string;
  fileName: string | null;
  contentType: string | null;
  byteSize: number | null;
  url: string | null;
}

export interface Message {
  id: number;
  conversationId: number;
  messageType: 'incoming' | 'outgoing' | 'activity' | 'template';
  content: string | null;
  private: boolean;
  status: string;
  sender: {
    type: 'contact' | 'user' | 'agent_bot';
    id: number;
    name: string;
    avatarUrl: string | null;
  } | null;
  attachments: Attachment[];
  createdAt: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Contact extends ContactSummary {
  identifier: string | null;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  labels: string[];
  createdAt: string;
  lastActivityAt: string | null;
  conversations?: Conversation[];
}

export interface Inbox {
  id: number;
  name: string;
  channelType: string;
}

export interface Team {
  id: number;
  name: string;
}

export interface Label {
  id: number;
  title: string;
  color: string;
}

export interface CannedResponse {
  id: number;
  shortCode: string;
  content: string;
}

export interface Member {
  userId: number;
  name: string;
  displayName: string | null;
  email: string;
  role: Role;
  availability: 'online' | 'busy' | 'offline';
}

export interface ConversationPatch {
  status?: ConversationStatus;
  snoozedUntil?: string | null;
  priority?: Priority | null;
  assigneeId?: number | null;
  teamId?: number | null;
  labels?: string[];
}
