/** What the write benches need of a store's query builder: inserting rows. */
export interface Inserter {
  insertInto(table: string): { values(rows: unknown): { execute(): Promise<unknown> } };
}

/**
 * The write benches' world, written straight into a store with no server running: `rooms` users and as
 * many public rooms, user i the one member of room i (ids u0…, r0…), all made at `at`.
 */
export async function oneUserPerRoom(db: Inserter, rooms: number, at: string): Promise<void> {
  const users = Array.from({ length: rooms }, (_, u) => ({
    id: `u${u}`,
    username: `u${u}`,
    username_key: `u${u}`,
    password_hash: null,
    created_at: at,
  }));
  await db.insertInto('users').values(users).execute();
  await db
    .insertInto('rooms')
    .values(
      users.map((_, r) => ({
        id: `r${r}`,
        name: `r${r}`,
        name_key: `r${r}`,
        visibility: 'public',
        kind: 'room',
        created_at: at,
      })),
    )
    .execute();
  await db
    .insertInto('memberships')
    .values(users.map((u, r) => ({ room_id: `r${r}`, user_id: u.id, role: 'member', joined_at: at })))
    .execute();
}

/** A new message of the write benches' world: message i, in room i % rooms by its one member. */
export function sendOp(i: number, rooms: number, text: string, at: string) {
  return {
    kind: 'send',
    id: `m${String(i).padStart(9, '0')}`,
    roomId: `r${i % rooms}`,
    authorId: `u${i % rooms}`,
    text,
    clientId: `c${i}`,
    createdAt: at,
    threadSeq: null,
    alsoToRoom: false,
    mentions: [],
    files: [],
  };
}
