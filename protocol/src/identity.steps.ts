// Plain values a client takes without zod: the web client's bundle leaves out every module with a schema.
import type { LoginReply, SecondStepReply } from './identity.js';

export const isSecondStep = (reply: LoginReply): reply is SecondStepReply => 'secondStep' in reply;
