import { ConnectionStatus } from '../ConnectionStatus';
import { DrawerButton } from './DrawerButton';

export function Welcome({ onOpenDrawer }: { onOpenDrawer: () => void }) {
  return (
    <main className="room">
      <header className="room-header">
        <DrawerButton onClick={onOpenDrawer} />
        <h2 className="room-title">Welcome to Parley</h2>
        <ConnectionStatus />
      </header>
      <div className="welcome">
        <p>Pick a room from the list, create one, or find someone to message.</p>
      </div>
    </main>
  );
}
