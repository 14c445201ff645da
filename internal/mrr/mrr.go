// Package mrr computes monthly recurring revenue (MRR) exactly to the cent:
// the MRR of one service line, the currentMrr an account stores, the ent hook
// that keeps it current, and the org summary by service category.
//
// A service line's MRR is quantity × unit price normalised to a month:
//
//	| billingFrequency | MRR                          |
//	|------------------|------------------------------|
//	| MONTHLY          | quantity × unitPrice         |
//	| QUARTERLY        | quantity × unitPrice ÷ 3     |
//	| SEMI_ANNUAL      | quantity × unitPrice ÷ 6     |
//	| ANNUAL           | quantity × unitPrice ÷ 12    |
//	| ONE_TIME         | 0                            |
//
// The product quantity × unitPrice is exact. The division is the only step
// that rounds, to the nearest cent of the line's total. A remainder of
// exactly half a cent rounds away from zero: up for charges, and down for
// credits, so a credit line of −x gets exactly the negation of x. Every
// larger figure (an account's currentMrr, a category, the org total) is the
// plain sum of rounded line amounts, so the categories always add up to the
// total. ARR is always MRR × 12.
package mrr

import (
	"math"
	"math/big"

	"github.com/breadbox/breadbox/ent/serviceline"
	"github.com/breadbox/breadbox/internal/money"
)

// monthsPerPeriod is the number of months one billing period covers. ONE_TIME
// is absent because it recurs never.
var monthsPerPeriod = map[serviceline.BillingFrequency]int64{
	serviceline.BillingFrequencyMONTHLY:     1,
	serviceline.BillingFrequencyQUARTERLY:   3,
	serviceline.BillingFrequencySEMI_ANNUAL: 6,
	serviceline.BillingFrequencyANNUAL:      12,
}

// ServiceLineMRR returns the MRR of a service line: quantity × unitPrice
// divided by the months of its billing period, rounded to the nearest cent
// with halves away from zero. ONE_TIME and unknown frequencies return 0. A
// result beyond money.MaxCents in either direction is capped at it.
func ServiceLineMRR(quantity int, unitPrice money.Cents, frequency serviceline.BillingFrequency) money.Cents {
	months, recurring := monthsPerPeriod[frequency]
	if !recurring || quantity == 0 || unitPrice == 0 {
		return 0
	}

	total, exact := multiply(int64(quantity), int64(unitPrice))
	if !exact {
		return capCents(divideBig(int64(quantity), int64(unitPrice), months))
	}
	return capCents(divideRounded(total, months))
}

// multiply returns a × b and whether it fits in an int64.
func multiply(a, b int64) (int64, bool) {
	product := a * b
	if a != 0 && (product/a != b || (a == -1 && b == math.MinInt64)) {
		return 0, false
	}
	return product, true
}

// divideRounded divides by a positive divisor and rounds to the nearest
// integer, halves away from zero.
func divideRounded(dividend, divisor int64) int64 {
	quotient, remainder := dividend/divisor, dividend%divisor
	if remainder < 0 {
		remainder = -remainder
	}
	if 2*remainder >= divisor {
		if dividend < 0 {
			quotient--
		} else {
			quotient++
		}
	}
	return quotient
}

// divideBig is divideRounded of quantity × unitPrice for products that
// overflow an int64. Its result saturates at the int64 range.
func divideBig(quantity, unitPrice, divisor int64) int64 {
	product := new(big.Int).Mul(big.NewInt(quantity), big.NewInt(unitPrice))
	negative := product.Sign() < 0
	product.Abs(product)

	// Rounding half up on the magnitude: (2 × |product| + divisor) ÷ (2 × divisor).
	product.Lsh(product, 1)
	product.Add(product, big.NewInt(divisor))
	product.Quo(product, big.NewInt(2*divisor))
	if negative {
		product.Neg(product)
	}

	switch {
	case product.IsInt64():
		return product.Int64()
	case negative:
		return math.MinInt64
	default:
		return math.MaxInt64
	}
}

func capCents(value int64) money.Cents {
	switch {
	case value > int64(money.MaxCents):
		return money.MaxCents
	case value < -int64(money.MaxCents):
		return -money.MaxCents
	}
	return money.Cents(value)
}

// ARR returns the annual recurring revenue of a monthly amount: MRR × 12.
func ARR(mrr money.Cents) money.Cents { return mrr * 12 }
