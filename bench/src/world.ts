/**
 * Who connects where. For Parley the users, rooms and DMs are real (made by `seed.ts` through the
 * public API); for the baselines they are names, joined with `room:join` after connecting. Client
 * `i` always acts as user `i % users`, so a scenario with more sockets than users reuses tokens, as
 * a user with several tabs does.
 */
export interface World {
  target: string;
  /** Baselines need an explicit `room:join`; Parley subscribes a socket to its rooms on connect. */
  joinOnConnect: boolean;
  users: { id: string; token: string }[];
  /** The public rooms of the fanout scenario; user `u` is a member of room `u % rooms.length`. */
  rooms: string[];
  /** DM rooms of the ingest scenario; DM `k` is between users `2k` and `2k + 1`. */
  dms: string[];
}

export function baselineWorld(target: string, users: number, rooms: number, dms: number): World {
  return {
    target,
    joinOnConnect: true,
    users: Array.from({ length: users }, (_, i) => ({ id: `u${i}`, token: '' })),
    rooms: Array.from({ length: rooms }, (_, i) => `room-${i}`),
    dms: Array.from({ length: dms }, (_, i) => `dm-${i}`),
  };
}

export function tokenOf(world: World, client: number): string | undefined {
  return world.users[client % world.users.length]?.token || undefined;
}

/** The fanout room a client's user belongs to. */
export function roomOf(world: World, client: number): string {
  return world.rooms[(client % world.users.length) % world.rooms.length]!;
}
