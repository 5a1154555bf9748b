import { Field } from '../../components/auth/Field';

/** A new password typed twice, with every problem found so far listed at once below it. */
export function NewPasswordFields(props: {
  password: string;
  repeat: string;
  problems: string[];
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={props.password}
        onChange={(e) => props.onPassword(e.target.value)}
      />
      <Field
        label="New password again"
        type="password"
        autoComplete="new-password"
        value={props.repeat}
        onChange={(e) => props.onRepeat(e.target.value)}
      />
      {props.problems.length > 0 ? (
        <div role="alert">
          <ul className="errors" aria-label="Problems with the new password">
            {props.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
