/**
 * The slice of Parley's public client API (Chatwoot's `/public/api/v1`) the widget uses. Writes go
 * form-encoded: a CORS "simple" request needs no preflight, so sending a message costs one round
 * trip. No cookie or token is ever sent; the visitor is the source id in the path.
 */

export interface Visitor {
  source_id: string;
  pubsub_token: string;
}

export interface Conversation {
  id: number;
  status: string;
}

export interface Message {
  id: string;
  content?: string;
  /** "0" the visitor's, "1" an agent's, "2" an activity note, "3" a template. */
  message_type: string;
  created_at: string;
  sender?: { name: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface WidgetApi {
  createVisitor(): Promise<Visitor>;
  conversations(visitor: Visitor): Promise<Conversation[]>;
  createConversation(visitor: Visitor): Promise<Conversation>;
  messages(visitor: Visitor, conversationId: number, after?: string): Promise<Message[]>;
  send(visitor: Visitor, conversationId: number, content: string, echoId: string): Promise<Message>;
  /** Tells the agents the visitor is typing, or stopped. */
  typing(visitor: Visitor, conversationId: number, isTyping: boolean): Promise<void>;
  realtimeUrl(visitor: Visitor): string;
}

export function createApi(origin: string, inboxIdentifier: string): WidgetApi {
  const base = `${origin}/chatwoot/public/api/v1/inboxes/${encodeURIComponent(inboxIdentifier)}`;
  const visitorBase = (visitor: Visitor) => `${base}/contacts/${encodeURIComponent(visitor.source_id)}`;

  async function call<T>(url: string, form?: Record<string, string>): Promise<T> {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      credentials: 'omit',
      ...(form && { body: new URLSearchParams(form) }),
    });
    if (!response.ok) throw new ApiError(response.status, `Parley answered ${String(response.status)}`);
    return (await response.json()) as T;
  }

  return {
    createVisitor: () => call<Visitor>(`${base}/contacts`, {}),
    conversations: (visitor) => call<Conversation[]>(`${visitorBase(visitor)}/conversations`),
    createConversation: (visitor) => call<Conversation>(`${visitorBase(visitor)}/conversations`, {}),
    messages: (visitor, conversationId, after) =>
      call<Message[]>(
        `${visitorBase(visitor)}/conversations/${String(conversationId)}/messages${after ? `?after=${after}` : ''}`,
      ),
    send: (visitor, conversationId, content, echoId) =>
      call<Message>(`${visitorBase(visitor)}/conversations/${String(conversationId)}/messages`, {
        content,
        echo_id: echoId,
      }),
    typing: (visitor, conversationId, isTyping) =>
      call<null>(`${visitorBase(visitor)}/conversations/${String(conversationId)}/toggle_typing`, {
        typing_status: isTyping ? 'on' : 'off',
      }).then(() => undefined),
    realtimeUrl: (visitor) => `${visitorBase(visitor).replace(/^http/, 'ws')}/realtime`,
  };
}
