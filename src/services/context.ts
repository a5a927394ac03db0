import type { User } from '../domain/users.js';
import type { Store } from '../store/types.js';

/** What every service call needs: the store, who is acting, and the clock. */
export interface ServiceContext {
  store: Store;
  actor: User;
  now: Date;
}
