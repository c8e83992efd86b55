import { ValidationError } from 'class-validator';
import { FieldProblem } from './domain-error';

/** Flattens class-validator's nested errors into field paths such as `fees.0.unit`. */
export function toFieldProblems(errors: ValidationError[], parentPath = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ field, messages: Object.values(error.constraints) }]
      : [];
    return own.concat(toFieldProblems(error.children ?? [], field));
  });
}
