import { useSyncExternalStore } from 'react';
import { onSessionChange, session } from './session';

export const useSession = () => useSyncExternalStore(onSessionChange, session);
