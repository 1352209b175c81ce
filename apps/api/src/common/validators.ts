import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

/** A real calendar day as YYYY-MM-DD (2026-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const date = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
        },
        defaultMessage: () => '$property must be a calendar date (YYYY-MM-DD)',
      },
    },
    options,
  );
}

/**
 * A finite number with at most two decimals. class-validator's maxDecimalPlaces throws on numbers written
 * with an exponent (1e-7), which would surface as a 500.
 */
export function HasAtMostTwoDecimals(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasAtMostTwoDecimals',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
        defaultMessage: () => '$property must be a number with at most two decimals',
      },
    },
    options,
  );
}

/** Optional in a PATCH: absent means "unchanged", but null is not a value (unlike @IsOptional, which lets null through). */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
