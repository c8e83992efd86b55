import { Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested, validateSync } from 'class-validator';
import { toFieldProblems } from './validation-problems';

class Line {
  @IsInt()
  amount: unknown;
}

class Order {
  @IsString()
  name: unknown;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines: Line[];
}

describe('toFieldProblems', () => {
  it('names nested fields by their path', () => {
    const order = Object.assign(new Order(), { name: 5, lines: [Object.assign(new Line(), { amount: 'x' })] });
    const problems = toFieldProblems(validateSync(order));
    expect(problems.map((problem) => problem.field).sort()).toEqual(['lines.0.amount', 'name']);
    expect(problems.every((problem) => problem.messages.length > 0)).toBe(true);
  });
});
