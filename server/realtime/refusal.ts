import type { SocketProblem } from '../../shared/events.js';
import type { BoardSocket } from './types.js';

/** Tells the client why its message was not taken, instead of dropping it silently. */
export function refuse(socket: BoardSocket, problem: SocketProblem): void {
  socket.emit('message:refused', problem);
}
