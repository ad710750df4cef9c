/** The work queue on the staff home: one section per kind of waiting work, its count, the oldest few, a link on. */
import { formatDate } from "../../core/text/vi.ts";
import type { QueueBucket } from "./work-queue.ts";

export function WorkQueue(props: { buckets: QueueBucket[] }) {
  if (props.buckets.length === 0) return null;
  const waiting = props.buckets.reduce((n, b) => n + b.count, 0);
  return (
    <section aria-labelledby="viec-cho">
      <h2 id="viec-cho">Việc đang chờ bạn</h2>
      {waiting === 0 ? <p>Không có việc nào đang chờ. </p> : null}
      <ul class="queue">
        {props.buckets.map((b) => (
          <li id={`hang-doi-${b.key}`} class={b.urgent && b.count > 0 ? "queue-urgent" : undefined}>
            <strong>{b.title}</strong>: <span class="queue-count">{b.count}</span>
            {b.count > 0 ? (
              <>
                <ul>
                  {b.items.map((i) => (
                    <li>
                      <a href={i.href}>{i.label}</a>{" "}
                      {i.date ? (
                        <span class="muted small">
                          ({i.dateLabel} {formatDate(i.date.slice(0, 10))})
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {b.count > b.items.length ? <a href={b.listHref}>Xem tất cả {b.count}</a> : null}
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
