// Placeholder: the Chatwoot reports bench, filled in this session.
export {};
