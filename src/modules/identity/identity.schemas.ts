import { Type } from 'typebox';
import { ROLES } from './policy.ts';

const Role = Type.Enum([...ROLES]);

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    status: Type.Enum(['pending', 'active', 'disabled']),
    role: Role,
    scopeCode: Type.Union([Type.String(), Type.Null()]),
    producerId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const NewUserBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9]{8,15}$' }), Type.Null()])),
    role: Role,
    scopeCode: Type.Optional(Type.Union([Type.String({ pattern: '^([0-9]{2}|[0-9]{5})$' }), Type.Null()])),
    producerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    password: Type.String({ minLength: 10, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const UserChangesBody = Type.Object(
  {
    status: Type.Optional(Type.Enum(['active', 'disabled'])),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^\\+?[0-9]{8,15}$' }), Type.Null()])),
    role: Type.Optional(Role),
    scopeCode: Type.Optional(Type.Union([Type.String({ pattern: '^([0-9]{2}|[0-9]{5})$' }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const AuditQuery = Type.Object({
  entityType: Type.Optional(Type.String({ maxLength: 100 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Type.String({ format: 'uuid' })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});

export const AuditResponse = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      occurredAt: Type.String(),
      actor: Type.Object({
        type: Type.String(),
        id: Type.Optional(Type.String()),
        label: Type.Optional(Type.String()),
      }),
      action: Type.String(),
      entityType: Type.String(),
      entityId: Type.Union([Type.String(), Type.Null()]),
      diff: Type.Record(Type.String(), Type.Array(Type.Unknown())),
      requestId: Type.Union([Type.String(), Type.Null()]),
      ip: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
