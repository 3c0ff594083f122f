// The mock's tasks, in memory and capped: past `maxTasks` the oldest is forgotten (its id then
// answers as unknown), so a mock left running all day stays small. One task is always there:
// the id the spec's docs and code samples use, completed, so that they work against the mock.
import type { MockTask } from "./lifecycle.js";

export class TaskStore {
  readonly #tasks = new Map<string, MockTask>();
  readonly #maxTasks: number;
  readonly #pinned: () => MockTask;
  #pinnedTask: MockTask;
  #serial = 0;

  /** `pinned` makes the task that is always there (again after a reset). */
  constructor(maxTasks: number, pinned: (serial: number) => MockTask) {
    this.#maxTasks = maxTasks;
    this.#pinned = () => pinned(++this.#serial);
    this.#pinnedTask = this.#pinned();
  }

  /** The next database-style id (new-api's `data.id` on its older route). */
  nextSerial(): number {
    return ++this.#serial;
  }

  add(task: MockTask): void {
    this.#tasks.set(task.id, task);
    for (const oldest of this.#tasks.keys()) {
      if (this.#tasks.size <= this.#maxTasks) break;
      this.#tasks.delete(oldest);
    }
  }

  get(id: string): MockTask | undefined {
    return id === this.#pinnedTask.id ? this.#pinnedTask : this.#tasks.get(id);
  }

  /** How many tasks are held, the pinned one aside. */
  get size(): number {
    return this.#tasks.size;
  }

  reset(): void {
    this.#tasks.clear();
    this.#pinnedTask = this.#pinned();
  }
}
